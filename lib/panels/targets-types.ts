export interface TargetChoices {
  /** Empty when the series carry no `cluster` label (the selector is then hidden). */
  clusters: string[];
  instances: string[];
}
