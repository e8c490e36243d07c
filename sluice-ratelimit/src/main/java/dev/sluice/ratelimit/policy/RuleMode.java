package dev.sluice.ratelimit.policy;

/** Whether a rule blocks what it denies or only reports it. */
public enum RuleMode {
  /** Over-limit requests are refused. */
  ENFORCE,
  /**
   * Every request is decided and counted, and a denial is reported ({@link Outcome#SHADOW_DENIED}),
   * but the request proceeds and no penalty is recorded: for trying a new limit on live traffic.
   */
  SHADOW
}
