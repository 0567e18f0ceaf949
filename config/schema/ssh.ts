import { z } from "zod";
import { positiveInt, posixUser } from "./primitives";

/** Largest SSH private key accepted, inline or as a file (an RSA 16384-bit PEM key is about 12 KiB). */
export const MAX_PRIVATE_KEY_BYTES = 64 * 1024;

export const sshSchema = z
  .strictObject({
    /** Login user on every machine; it needs passwordless sudo. */
    user: posixUser,
    port: positiveInt.max(65535).default(22),
    /** Path of the private key on the control machine, read at run time and kept secret. */
    privateKeyPath: z
      .string()
      .max(4096, "must be at most 4096 characters")
      .regex(/^[^\x00-\x1f\x7f]+$/, "must be a file path without control characters")
      .optional(),
    /** The private key itself; set it with `pulumi config set --secret`. */
    privateKey: z.string().min(1).max(MAX_PRIVATE_KEY_BYTES, `must be at most ${MAX_PRIVATE_KEY_BYTES} characters`).optional(),
  })
  .refine((s) => (s.privateKeyPath === undefined) !== (s.privateKey === undefined), {
    message: "set exactly one of privateKeyPath or privateKey",
  });
