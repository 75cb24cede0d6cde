// The default registry: every built-in family registers itself here.
import { BuiltinRegistry } from "./registry.js";

const FAMILIES: ((r: BuiltinRegistry) => void)[] = [];

let registry: BuiltinRegistry | undefined;

/** The registry with every built-in Guard ships (built once). */
export function defaultBuiltins(): BuiltinRegistry {
  if (!registry) {
    registry = new BuiltinRegistry();
    for (const register of FAMILIES) register(registry);
  }
  return registry;
}
