/**
 * The one identity trusted to change a team's placement, quota and namespace metadata: the one the
 * stack deploys with. The stack's kubeconfig is the k3s admin kubeconfig fetched from the first
 * server (components/bootstrap/kubeconfig.ts); k3s signs its client certificate with
 * `CN=system:admin, O=system:masters` (k3s pkg/daemons/control/deps/deps.go, `client-admin`), so
 * the API server sees user `system:admin` in group `system:masters`.
 *
 * `system:masters` bypasses RBAC but not validating admission, which is why admission policies must
 * name it to let the stack through. Any holder of a `system:masters` credential can also delete the
 * policies themselves: that credential is the lab's root and is out of the tenants' reach.
 */
export const STACK_USERNAME = "system:admin";
export const STACK_GROUP = "system:masters";

/** CEL: the request comes from the stack's identity (user and group both). */
export const STACK_REQUEST_CEL =
  `(request.userInfo.username == '${STACK_USERNAME}' && has(request.userInfo.groups) && '${STACK_GROUP}' in request.userInfo.groups)`;
