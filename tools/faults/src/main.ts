// Entry point of `pnpm faults`; the fault rows arrive in the next commits.
export {};
