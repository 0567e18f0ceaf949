/**
 * SSH connections for @pulumi/command, built field by field: an unknown extra field in `connection`
 * makes the CLI print the private key (pulumi/pulumi-command#773), so nothing is spread into it.
 */
import type * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import type { LabModel } from "../../config/model";

export type Connection = command.types.input.remote.ConnectionArgs;

export interface ConnectionOptions {
  /**
   * How many failed dials before giving up; -1 retries until the command's timeout, which a host
   * that is still booting needs. Defaults to 10 (the provider's default).
   */
  readonly dialErrorLimit?: number;
  /** Seconds per dial attempt. Defaults to 15. */
  readonly perDialTimeout?: number;
}

export function sshConnection(
  host: string,
  ssh: LabModel["ssh"],
  privateKey: pulumi.Output<string>,
  options: ConnectionOptions = {},
): pulumi.Output<Connection> {
  // The whole connection is secret: it carries the key.
  return pulumi.secret(
    privateKey.apply((key) => ({
      host,
      port: ssh.port,
      user: ssh.user,
      privateKey: key,
      dialErrorLimit: options.dialErrorLimit ?? 10,
      perDialTimeout: options.perDialTimeout ?? 15,
    })),
  );
}
