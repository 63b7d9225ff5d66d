using ProductHub.Domain.ChangeOrders;
using ProductHub.Hub.ChangeOrders.Orchestrating;
using static ProductHub.Tests.Logic.ChangeOrderSamples;

namespace ProductHub.Tests.Logic;

/// <summary>The rules that live in <see cref="ChangeOrder.Evolve"/> itself, which the decisions and the read model both follow.</summary>
public sealed class when_a_change_order_evolves
{
    [Fact]
    public void a_retried_compensation_goes_back_to_compensating_and_is_sent_again_as_a_first_attempt()
    {
        var order = After(Approved(Step("erp", 1, compensation: "revert")), [
            new StepSent("ECO-1", "erp", false, 1, "k", Now), new StepAcknowledged("ECO-1", "erp", false, null, Now),
            new ChangeOrderCompensationStarted("ECO-1", "cancelled", Now), new StepSent("ECO-1", "erp", true, 2, "k", Now),
            new StepFailed("ECO-1", "erp", true, 2, "HTTP 409", null, Now), new ChangeOrderNeedsAttention("ECO-1", "compensation failed", Now),
        ]);

        var retried = After(order, [new StepRetriedByHand("ECO-1", "erp", Now)]);

        retried.State.ShouldBe(ChangeOrderState.Compensating);
        retried.Step("erp").Compensation.ShouldBe(order.Step("erp").Compensation with { Status = StepStatus.Waiting, Attempts = 0 });
        retried.Step("erp").Forward.ShouldBe(order.Step("erp").Forward);
        ChangeOrderFlow.Decide(retried, [], Now).Events.OfType<StepSent>().ShouldHaveSingleItem()
            .ShouldBe(new StepSent("ECO-1", "erp", true, 1, ChangeOrderFlow.IdempotencyKey("ECO-1", "erp", true), Now));
    }

    [Fact]
    public void a_retried_optional_step_of_a_completed_change_order_runs_it_forward_again()
    {
        var order = After(Approved(Step("mes", 1, blocking: false)), [
            new StepSent("ECO-1", "mes", false, 2, "k", Now), new StepFailed("ECO-1", "mes", false, 2, "HTTP 500", null, Now),
            new ChangeOrderCompleted("ECO-1", Now),
        ]);

        var retried = After(order, [new StepRetriedByHand("ECO-1", "mes", Now)]);

        retried.State.ShouldBe(ChangeOrderState.InProgress);
        retried.Step("mes").Forward.Status.ShouldBe(StepStatus.Waiting);
        ChangeOrderFlow.Decide(retried, [], Now).Events.OfType<StepSent>().ShouldHaveSingleItem().Attempt.ShouldBe(1);
    }

    [Fact]
    public void compensation_undoes_the_steps_in_reverse_order_of_their_acknowledgement_not_of_the_plan()
    {
        var order = After(Approved(Step("a", 1, compensation: "undo-a"), Step("b", 1, compensation: "undo-b"), Step("c", 2)), [
            new StepSent("ECO-1", "a", false, 1, "k", Now), new StepSent("ECO-1", "b", false, 1, "k", Now),
            new StepAcknowledged("ECO-1", "b", false, null, Now), new StepAcknowledged("ECO-1", "a", false, null, Now),
            new StepSent("ECO-1", "c", false, 2, "k", Now),
        ]);
        order.Steps.Select(s => (s.Plan.Name, s.Forward.Order)).ShouldBe([("a", 2), ("b", 1), ("c", 0)]);

        var failed = ChangeOrderFlow.Decide(order, [new StepFailed("ECO-1", "c", false, 2, "HTTP 500", null, Now)], Now);
        failed.Events.OfType<StepSent>().Select(s => s.Step).ShouldBe(["a"]);

        order = After(order, failed.Events);
        ChangeOrderFlow.Decide(order, [new StepAcknowledged("ECO-1", "a", true, null, Now)], Now)
            .Events.OfType<StepSent>().Select(s => s.Step).ShouldBe(["b"]);
        After(order, [new StepAcknowledged("ECO-1", "a", true, null, Now)]).Step("a").Compensation.Order.ShouldBe(1);
    }

    [Fact]
    public void an_event_it_does_not_know_leaves_the_change_order_as_it_was_and_nothing_comes_before_its_creation()
    {
        var order = Approved(Step("erp", 1));

        ChangeOrder.Evolve(order, new { Unknown = true }).ShouldBeSameAs(order);
        ChangeOrder.Evolve(null, new StepRetriedByHand("ECO-1", "erp", Now)).ShouldBeNull();
    }
}
