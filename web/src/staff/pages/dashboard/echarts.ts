// ECharts as the dashboard uses it: the core and only the charts and components its charts
// need, registered once when the dashboard's chunk loads (the portal and the other pages of
// the workbench never load it). SVG: crisp at any zoom, and lighter than the canvas renderer.
import { use, init, type ComposeOption, type ECharts } from "echarts/core";
import { BarChart, LineChart, type BarSeriesOption, type LineSeriesOption } from "echarts/charts";
import {
  GridComponent, LegendPlainComponent, TooltipComponent,
  type GridComponentOption, type LegendComponentOption, type TooltipComponentOption,
} from "echarts/components";
import { SVGRenderer } from "echarts/renderers";

// The plain legend (not the scrolling one): a few kilobytes less; a long legend wraps.
use([BarChart, LineChart, GridComponent, LegendPlainComponent, TooltipComponent, SVGRenderer]);

export type ChartOption = ComposeOption<
  BarSeriesOption | LineSeriesOption | GridComponentOption | LegendComponentOption |
  TooltipComponentOption>;

export { init, type ECharts };
