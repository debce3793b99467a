/** One feature of every kind a model schema can declare (the foundation issue's booking model, extended). */
export const EVERY_KIND_FEATURES = {
  height_cm: { type: 'number', min: 30, max: 300 },
  country: { type: 'category', values: ['CH', 'DE', 'FR'], required: false },
  note: { type: 'text', maxLength: 20 },
  nights: { type: 'number', integer: true, min: 1, required: false },
  discount: { type: 'number', max: 0.5, required: false },
  vip: { type: 'boolean', required: false },
  channel: { type: 'category', required: false },
} as const
