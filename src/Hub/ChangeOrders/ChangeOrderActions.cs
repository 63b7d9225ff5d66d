using ProductHub.Domain.ChangeOrders;

namespace ProductHub.Hub.ChangeOrders;

/// <summary>
/// What a person may do to a change order as it stands, and why not otherwise: the API answers 409 with the reason,
/// and the workbench offers only what is allowed. Each answer is null when the action makes sense.
/// </summary>
public static class ChangeOrderActions
{
    /// <summary>
    /// A retry by hand sends a step that failed for good again, where the orchestration will pick it up: a
    /// compensation while the change order needs attention, or an optional step while it runs (or ran) forward.
    /// Anywhere else the step would wait forever, since nothing sends steps of a change order compensating or done.
    /// </summary>
    public static string? WhyNotRetry(ChangeOrder order, StepState step)
    {
        var name = $"Step {step.Plan.Name} of {order.Number}";
        if (step.Compensation.Status == StepStatus.Failed)
            return order.State == ChangeOrderState.NeedsAttention ? null : $"{name}: its compensation failed, but {order.Number} is {Describe(order.State)}.";
        if (step.Forward.Status != StepStatus.Failed) return $"{name} has not failed for good; nothing to retry.";
        if (step.Plan.Blocking) return $"{name} is blocking: its failure set off the compensation of {order.Number}, which a retry cannot undo.";
        return order.State is ChangeOrderState.InProgress or ChangeOrderState.Completed
            ? null
            : $"{name} failed, but {order.Number} is {Describe(order.State)}: nothing of it is sent forward any more.";
    }

    /// <summary>Cancelling stops what is not sent yet and compensates what was applied, so only a change order still to run may be.</summary>
    public static string? WhyNotCancel(ChangeOrder order) =>
        order.State is ChangeOrderState.Created or ChangeOrderState.InProgress
            ? null
            : $"Change order {order.Number} is {Describe(order.State)}; only one not yet approved or in progress can be cancelled.";

    private static string Describe(ChangeOrderState state) => state switch
    {
        ChangeOrderState.InProgress => "in progress",
        ChangeOrderState.NeedsAttention => "waiting for attention to a failed compensation",
        _ => state.ToString().ToLowerInvariant(),
    };
}
