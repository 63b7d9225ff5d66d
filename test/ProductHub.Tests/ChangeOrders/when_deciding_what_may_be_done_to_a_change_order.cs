using NodaTime;
using ProductHub.Domain.ChangeOrders;
using ProductHub.Domain.Erp;
using ProductHub.Hub.ChangeOrders;

namespace ProductHub.Tests.ChangeOrders;

/// <summary>The rules the API's 409s and the workbench's buttons share, without a host.</summary>
public sealed class when_deciding_what_may_be_done_to_a_change_order
{
    private static StepState Step(bool blocking, StepStatus forward, StepStatus compensation = StepStatus.Waiting) => new(
        new PlannedStep("notice", 0, "portal-1", "notify", 5, new DeliveryRetry(1, [Duration.FromSeconds(1)]), blocking, null),
        StepSide.Waiting with { Status = forward },
        StepSide.Waiting with { Status = compensation });

    private static ChangeOrder Order(ChangeOrderState state) =>
        new("change-order/ECO-1", "ECO-1", "standard", "why", [], new LocalDate(2026, 4, 1), null, state, null, []);

    [Theory]
    [InlineData(ChangeOrderState.InProgress, true)]
    [InlineData(ChangeOrderState.Completed, true)]
    [InlineData(ChangeOrderState.Compensating, false)]
    [InlineData(ChangeOrderState.Compensated, false)]
    [InlineData(ChangeOrderState.NeedsAttention, false)]
    public void a_failed_optional_step_is_retried_only_while_the_order_runs_forward(ChangeOrderState state, bool allowed) =>
        (ChangeOrderActions.WhyNotRetry(Order(state), Step(blocking: false, StepStatus.Failed)) is null).ShouldBe(allowed);

    [Theory]
    [InlineData(ChangeOrderState.NeedsAttention, true)]
    [InlineData(ChangeOrderState.Compensating, false)]
    [InlineData(ChangeOrderState.Compensated, false)]
    public void a_failed_compensation_is_retried_only_while_the_order_needs_attention(ChangeOrderState state, bool allowed) =>
        (ChangeOrderActions.WhyNotRetry(Order(state), Step(blocking: true, StepStatus.Acknowledged, StepStatus.Failed)) is null).ShouldBe(allowed);

    [Fact]
    public void a_failed_blocking_step_and_a_step_that_has_not_failed_are_never_retried()
    {
        ChangeOrderActions.WhyNotRetry(Order(ChangeOrderState.Compensated), Step(blocking: true, StepStatus.Failed))
            .ShouldBe("Step notice of ECO-1 is blocking: its failure set off the compensation of ECO-1, which a retry cannot undo.");
        ChangeOrderActions.WhyNotRetry(Order(ChangeOrderState.InProgress), Step(blocking: false, StepStatus.Retrying))
            .ShouldBe("Step notice of ECO-1 has not failed for good; nothing to retry.");
    }

    [Theory]
    [InlineData(ChangeOrderState.Created, true)]
    [InlineData(ChangeOrderState.InProgress, true)]
    [InlineData(ChangeOrderState.Completed, false)]
    [InlineData(ChangeOrderState.Compensating, false)]
    [InlineData(ChangeOrderState.Compensated, false)]
    [InlineData(ChangeOrderState.NeedsAttention, false)]
    public void only_an_order_still_to_run_is_cancelled(ChangeOrderState state, bool allowed) =>
        (ChangeOrderActions.WhyNotCancel(Order(state)) is null).ShouldBe(allowed);
}
