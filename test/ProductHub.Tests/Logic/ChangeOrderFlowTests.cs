using NodaTime;
using ProductHub.Domain.ChangeOrders;
using ProductHub.Hub.ChangeOrders.Orchestrating;
using static ProductHub.Tests.Logic.ChangeOrderSamples;

namespace ProductHub.Tests.Logic;

/// <summary>
/// The change order orchestration as a pure decision over the change order's events: what is recorded and what is
/// sent after each fact, in the style of a process manager's tests, without a host, a database or a bus.
/// </summary>
public sealed class ChangeOrderFlowTests
{
    /// <summary>Stage 1: the ERP (blocking, compensable) and the MES (optional) in parallel; stage 2: the QMS.</summary>
    private static ChangeOrder Approved() => ChangeOrderSamples.Approved(
        new PlannedStep("erp", 1, "erp-p100", "apply-bom", 60, TwoAttempts, Blocking: true, CompensationAction: "revert-bom"),
        new PlannedStep("mes", 1, "mes-p100", "update-routing", 60, TwoAttempts, Blocking: false, CompensationAction: null),
        new PlannedStep("qms", 2, "qms", "plan-inspection", 60, TwoAttempts, Blocking: true, CompensationAction: "cancel-plan"));

    private static ChangeOrder After(ChangeOrder order, FlowDecision decision) => ChangeOrderSamples.After(order, decision.Events);

    private static IEnumerable<string> Sends(FlowDecision decision) =>
        decision.Messages.Select(m => m.Message).OfType<SendChangeOrderStep>().Select(s => (s.Compensation ? "undo " : "") + s.Step);

    [Fact]
    public void approval_sends_every_step_of_the_first_stage_and_nothing_of_the_next()
    {
        var decision = ChangeOrderFlow.Decide(Approved(), [], Now);

        decision.Events.OfType<StepSent>().Select(s => s.Step).ShouldBe(["erp", "mes"]);
        Sends(decision).ShouldBe(["erp", "mes"]);
        decision.Events.OfType<StepSent>().ShouldAllBe(s => s.Attempt == 1 && s.IdempotencyKey == ChangeOrderFlow.IdempotencyKey("ECO-1", s.Step, false));
    }

    [Fact]
    public void the_next_stage_starts_once_every_step_of_the_stage_is_settled_and_an_optional_failure_does_not_hold_it()
    {
        var order = After(Approved(), ChangeOrderFlow.Decide(Approved(), [], Now));
        var erpDone = ChangeOrderFlow.Decide(order, [new StepAcknowledged("ECO-1", "erp", false, "SAP-1", Now)], Now);
        Sends(erpDone).ShouldBeEmpty();

        order = After(order, erpDone);
        var mesFailed = ChangeOrderFlow.Decide(order, [ChangeOrderFlow.Failure(order, "mes", false, 2, "HTTP 500", Now)], Now);

        Sends(mesFailed).ShouldBe(["qms"]);
    }

    [Fact]
    public void a_failure_within_the_retry_limit_schedules_the_next_attempt_after_the_backoff()
    {
        var order = After(Approved(), ChangeOrderFlow.Decide(Approved(), [], Now));
        var failed = ChangeOrderFlow.Failure(order, "erp", false, 1, "timeout", Now);

        failed.NextAttemptAt.ShouldBe(Now + Duration.FromSeconds(10));
        ChangeOrderFlow.Decide(order, [failed], Now).Messages
            .ShouldBe([new FlowMessage(new RetryChangeOrderStep("ECO-1", "erp", false, 2), Duration.FromSeconds(10))]);
    }

    [Fact]
    public void a_blocking_step_failing_for_good_compensates_what_was_acknowledged_in_reverse_order_and_stops_later_stages()
    {
        var order = After(Approved(), ChangeOrderFlow.Decide(Approved(), [], Now));
        order = After(order, ChangeOrderFlow.Decide(order, [new StepAcknowledged("ECO-1", "erp", false, "SAP-1", Now)], Now));
        order = After(order, ChangeOrderFlow.Decide(order, [new StepAcknowledged("ECO-1", "mes", false, null, Now)], Now));
        order.Step("qms").Forward.Status.ShouldBe(StepStatus.Sent);

        var decision = ChangeOrderFlow.Decide(order, [ChangeOrderFlow.Failure(order, "qms", false, 2, "HTTP 500", Now)], Now);

        decision.Events.OfType<ChangeOrderCompensationStarted>().ShouldHaveSingleItem().Reason.ShouldBe("qms failed: HTTP 500");
        // The MES step has no compensation; the ERP's is the only one to undo.
        Sends(decision).ShouldBe(["undo erp"]);
        order = After(order, decision);
        var undone = ChangeOrderFlow.Decide(order, [new StepAcknowledged("ECO-1", "erp", true, null, Now)], Now);
        undone.Events.Last().ShouldBe(new ChangeOrderCompensated("ECO-1", Now));
        undone.Messages.ShouldBeEmpty();
    }

    [Fact]
    public void a_compensation_failing_for_good_needs_attention()
    {
        var order = After(Approved(), ChangeOrderFlow.Decide(Approved(), [], Now));
        order = After(order, ChangeOrderFlow.Decide(order, [new StepAcknowledged("ECO-1", "erp", false, "SAP-1", Now),
            new ChangeOrderCompensationStarted("ECO-1", "cancelled: not needed", Now)], Now));

        var decision = ChangeOrderFlow.Decide(order, [ChangeOrderFlow.Failure(order, "erp", true, 2, "HTTP 409", Now)], Now);

        decision.Events.Last().ShouldBe(new ChangeOrderNeedsAttention("ECO-1", "compensation of erp failed: HTTP 409", Now));
    }

    [Fact]
    public void every_step_acknowledged_completes_the_change_order()
    {
        var order = After(Approved(), ChangeOrderFlow.Decide(Approved(), [], Now));
        order = After(order, ChangeOrderFlow.Decide(order, [new StepAcknowledged("ECO-1", "erp", false, null, Now),
            new StepAcknowledged("ECO-1", "mes", false, null, Now)], Now));

        var decision = ChangeOrderFlow.Decide(order, [new StepAcknowledged("ECO-1", "qms", false, null, Now)], Now);

        decision.Events.Last().ShouldBe(new ChangeOrderCompleted("ECO-1", Now));
    }

    [Fact]
    public void deciding_leaves_the_state_it_was_given_as_it_was()
    {
        var order = Approved();

        ChangeOrderFlow.Decide(order, [], Now);

        order.Steps.ShouldAllBe(s => s.Forward.Status == StepStatus.Waiting);
    }

    [Fact]
    public void an_answer_to_an_attempt_no_longer_awaited_changes_nothing()
    {
        var order = After(Approved(), ChangeOrderFlow.Decide(Approved(), [], Now));
        order = After(order, ChangeOrderFlow.Decide(order, [ChangeOrderFlow.Failure(order, "erp", false, 1, "timeout", Now)], Now));

        ChangeOrderFlow.Answered(order, new ChangeOrderStepAnswered("ECO-1", "erp", false, 1, true, "late", null), Now).ShouldBe(FlowDecision.Nothing);
        ChangeOrderFlow.TimedOut(order, new ChangeOrderStepTimedOut("ECO-1", "erp", false, 1), Now).ShouldBe(FlowDecision.Nothing);
        ChangeOrderFlow.Retry(order, new RetryChangeOrderStep("ECO-1", "erp", false, 3), Now).ShouldBe(FlowDecision.Nothing);
        ChangeOrderFlow.Retry(order, new RetryChangeOrderStep("ECO-1", "erp", false, 2), Now).Events.OfType<StepSent>()
            .ShouldHaveSingleItem().Attempt.ShouldBe(2);
    }

    [Fact]
    public void a_step_handed_over_waits_for_its_acknowledgement_until_its_timeout_and_then_fails_the_attempt()
    {
        var order = After(Approved(), ChangeOrderFlow.Decide(Approved(), [], Now));

        var handedOver = ChangeOrderFlow.Answered(order, new ChangeOrderStepAnswered("ECO-1", "erp", false, 1, false, null, null), Now);

        handedOver.Events.ShouldBeEmpty();
        handedOver.Messages.ShouldBe([new FlowMessage(new ChangeOrderStepTimedOut("ECO-1", "erp", false, 1), Duration.FromSeconds(60))]);
        ChangeOrderFlow.TimedOut(order, new ChangeOrderStepTimedOut("ECO-1", "erp", false, 1), Now).Events.OfType<StepFailed>()
            .ShouldHaveSingleItem().Error.ShouldBe("no acknowledgement within 60 s");
    }
}
