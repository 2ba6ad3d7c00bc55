/** Fault-prediction models arrive with issue 6; the workspace exists so that the layout of DESIGN.md holds from the start. */
export const MODELS_PLANNED = 'issue 6' as const;
