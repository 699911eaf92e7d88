export { MANAGED_FIELDS } from '@offgrid/schema';
