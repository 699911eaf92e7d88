import type { ModelConstructor } from '@offgrid/core';

/** A model as hooks accept it: the model class from `store.models`, or its name. */
export type ModelArg<T extends object> = ModelConstructor<T> | string;
