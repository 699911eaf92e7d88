// The ordering lives in @offgrid/schema so the server and every adapter share one definition.
export { compareValues } from '@offgrid/schema';
