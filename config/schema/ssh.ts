import { z } from "zod";
import { positiveInt } from "./primitives";

export const sshSchema = z
  .strictObject({
    /** Login user on every machine; it needs passwordless sudo. */
    user: z.string().min(1, "must not be empty"),
    port: positiveInt.max(65535).default(22),
    /** Path of the private key on the control machine, read at run time and kept secret. */
    privateKeyPath: z.string().min(1).optional(),
    /** The private key itself; set it with `pulumi config set --secret`. */
    privateKey: z.string().min(1).optional(),
  })
  .refine((s) => (s.privateKeyPath === undefined) !== (s.privateKey === undefined), {
    message: "set exactly one of privateKeyPath or privateKey",
  });
