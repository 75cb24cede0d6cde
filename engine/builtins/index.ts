// The default registry: every built-in family registers itself here.
import { register as aggregates } from "./aggregates.js";
import { register as arrays } from "./arrays.js";
import { register as comparison } from "./comparison.js";
import { register as conversions } from "./conversions.js";
import { register as crypto } from "./crypto.js";
import { register as debugging } from "./debugging.js";
import { register as encoding } from "./encoding.js";
import { register as glob } from "./glob.js";
import { register as jwt } from "./jwt.js";
import { register as net } from "./net.js";
import { register as numbers } from "./numbers.js";
import { register as objects } from "./objects.js";
import { BuiltinRegistry } from "./registry.js";
import { register as regex } from "./regex.js";
import { register as semver } from "./semver.js";
import { register as sets } from "./sets.js";
import { register as strings } from "./strings.js";
import { register as time } from "./time.js";
import { register as types } from "./types-family.js";
import { register as units } from "./units.js";
import { register as uuid } from "./uuid.js";

const FAMILIES: ((r: BuiltinRegistry) => void)[] = [
  comparison,
  numbers,
  aggregates,
  arrays,
  sets,
  objects,
  types,
  conversions,
  encoding,
  strings,
  regex,
  glob,
  time,
  net,
  crypto,
  jwt,
  units,
  semver,
  uuid,
  debugging,
];

let registry: BuiltinRegistry | undefined;

/** The registry with every built-in Guard ships (built once). */
export function defaultBuiltins(): BuiltinRegistry {
  if (!registry) {
    registry = new BuiltinRegistry();
    for (const register of FAMILIES) register(registry);
  }
  return registry;
}
