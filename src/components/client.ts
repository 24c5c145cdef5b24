// The site's one client bundle (hashed, shared by every page): the chart element and sortable tables.
import './charts/ctm-chart.ts';
import { enhanceSortableTables } from './sortable-table.ts';

enhanceSortableTables();
