/** Fixtures of the bootstrap tests. */

/** The shape k3s writes to /etc/rancher/k3s/k3s.yaml (credentials shortened). */
export const K3S_KUBECONFIG = `apiVersion: v1
clusters:
- cluster:
    certificate-authority-data: LS0tLS1CRUdJTi1DQQ==
    server: https://127.0.0.1:6443
  name: default
contexts:
- context:
    cluster: default
    user: default
  name: default
current-context: default
kind: Config
preferences: {}
users:
- name: default
  user:
    client-certificate-data: LS0tLS1DRVJULQ==
    client-key-data: LS0tLS1LRVktLQ==
`;
