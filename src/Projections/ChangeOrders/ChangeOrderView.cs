using JasperFx.Events;
using Marten.Events.Aggregation;
using NodaTime;
using ProductHub.Domain.ChangeOrders;

namespace ProductHub.Projections.ChangeOrders;

/// <summary>A change order, its plan and the timeline of every step: what the API and the workbench answer.</summary>
public sealed record ChangeOrderView(
    string Id, string Number, string Type, string Reason, IReadOnlyList<AffectedRevision> Affected, LocalDate RequestedEffectivity,
    string? ApprovedBy, ChangeOrderState State, string? StateReason, IReadOnlyList<StepState> Steps, IReadOnlyList<TimelineEntry> Timeline)
{
    public static ChangeOrderView Of(ChangeOrder order, IReadOnlyList<TimelineEntry> timeline) => new(
        order.Id, order.Number, order.Type, order.Reason, order.Affected, order.RequestedEffectivity, order.ApprovedBy, order.State,
        order.StateReason, order.Steps, timeline);

    /// <summary>The change order this view shows, to evolve with the next event (a method, so that it is not stored twice).</summary>
    public ChangeOrder Order() => new(
        Id, Number, Type, Reason, [.. Affected], RequestedEffectivity, ApprovedBy, State, StateReason, [.. Steps]);
}

public sealed record TimelineEntry(Instant At, string? Step, string What, string? Detail);

/// <summary>The read model follows <see cref="ChangeOrder.Evolve"/> and adds a line to the timeline for each event.</summary>
public sealed class ChangeOrderViewProjection : SingleStreamProjection<ChangeOrderView, string>
{
    public override ChangeOrderView? Evolve(ChangeOrderView? snapshot, string id, IEvent e) =>
        ChangeOrder.Evolve(snapshot?.Order(), e.Data) is { } order
            ? ChangeOrderView.Of(order, Line(order, e.Data) is { } line ? [.. snapshot?.Timeline ?? [], line] : snapshot?.Timeline ?? [])
            : snapshot;

    /// <param name="order">The change order after the event.</param>
    private static TimelineEntry? Line(ChangeOrder order, object e) => e switch
    {
        ChangeOrderCreated x => new(x.RecordedAt, null, "created", x.Reason),
        ChangeOrderApproved x => new(x.RecordedAt, null, "approved", $"by {x.ApprovedBy}, {x.Plan.Count} steps"),
        StepSent x => new(x.RecordedAt, x.Step, x.Compensation ? "compensation sent" : "sent", $"attempt {x.Attempt}"),
        StepAcknowledged x => new(x.RecordedAt, x.Step, x.Compensation ? "compensation acknowledged" : "acknowledged", x.Reference),
        StepFailed x => new(x.RecordedAt, x.Step,
            (x.Compensation ? "compensation " : "") + (x.NextAttemptAt is null ? "failed" : "retrying"), x.Error),
        StepRetriedByHand x => new(x.RecordedAt, x.Step, "retried by hand", null),
        ChangeOrderCompleted x => new(x.RecordedAt, null, "completed", null),
        ChangeOrderCompensationStarted x => new(x.RecordedAt, null, "compensating", x.Reason),
        ChangeOrderCompensated x => new(x.RecordedAt, null, "compensated", order.StateReason),
        ChangeOrderNeedsAttention x => new(x.RecordedAt, null, "needs attention", x.Reason),
        _ => null,
    };
}
