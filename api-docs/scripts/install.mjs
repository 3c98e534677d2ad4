// Installs api-docs' own packages when they are missing or stale (the `api-docs:deps` target):
// what the docs, contract and mock scripts do on first use, as a step of its own for tasks
// (the e2e suite's mock) that may find the docs restored from Nx's cache without the packages.
import { ensureDeps } from './lib.mjs';

ensureDeps();
