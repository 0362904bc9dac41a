// Figures of the calibration panel (CalibrationPanel.vue), kept out of the template so they are tested.
import type { CalibrationLocaleView } from '../../../contract/calibration';

/** The share of last month's first messages the bot would answer; 0 without any. */
export const coverageShare = (row: Pick<CalibrationLocaleView, 'firstMessages' | 'wouldAnswer'>): number =>
  row.firstMessages ? row.wouldAnswer / row.firstMessages : 0;

/** A share as a whole percentage ("87 %"), one decimal below 10 % so a small share is not shown as 0. */
export const percent = (share: number): string => {
  const value = share * 100;
  return `${value > 0 && value < 10 ? value.toFixed(1) : Math.round(value)} %`;
};
