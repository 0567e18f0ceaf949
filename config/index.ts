export * from "./capacity";
export * from "./load";
export * from "./model";
export * from "./problems";
export type { LabConfig, NodeConfig, TeamConfig } from "./schema";
