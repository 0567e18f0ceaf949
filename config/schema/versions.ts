import { z } from "zod";
import { exactVersion } from "./primitives";

/** Pinned chart versions; every chart the stack installs reads its version from here. */
export const versionsSchema = z
  .strictObject({
    kubeOvn: exactVersion.default("v1.15.4"),
  })
  .prefault({});
