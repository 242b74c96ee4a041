/** plotly.js options for every figure: it follows the width of its cell, no plotly logo. */
export const PLOT_CONFIG = { responsive: true, displaylogo: false } as const;

/** The height of a figure whose layout sets none, in pixels. */
export const DEFAULT_FIGURE_HEIGHT = 480;
