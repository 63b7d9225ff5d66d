using System.Collections.Immutable;
using NodaTime;

namespace ProductHub.Domain.ChangeOrders;

public enum ChangeOrderState { Created, InProgress, Completed, Compensating, Compensated, NeedsAttention }

public enum StepStatus { Waiting, Sent, Acknowledged, Retrying, Failed }

/// <summary>One direction of a step: sending it, or sending its compensation.</summary>
/// <param name="Order">The step's place among the acknowledgements of its direction: compensation undoes them last first.</param>
public sealed record StepSide(
    StepStatus Status, int Attempts, string? IdempotencyKey, string? LastError, Instant? AcknowledgedAt, int Order)
{
    public static readonly StepSide Waiting = new(StepStatus.Waiting, 0, null, null, null, 0);
}

public sealed record StepState(PlannedStep Plan, StepSide Forward, StepSide Compensation)
{
    public StepSide Side(bool compensation) => compensation ? Compensation : Forward;

    public StepState With(bool compensation, StepSide side) => compensation ? this with { Compensation = side } : this with { Forward = side };
}

/// <summary>
/// A change order as its orchestration decides on it, folded from its stream by <see cref="Evolve"/>: the one
/// place that says what each event does to a change order, for the write side and for the read model alike.
/// </summary>
public sealed record ChangeOrder(
    string Id, string Number, string Type, string Reason, ImmutableList<AffectedRevision> Affected, LocalDate RequestedEffectivity,
    string? ApprovedBy, ChangeOrderState State, string? StateReason, ImmutableList<StepState> Steps)
{
    // Not named Create: Marten reads Create and Apply on an aggregate as conventions, which may not stand beside an explicit Evolve.
    public static ChangeOrder From(ChangeOrderCreated e) => new(
        ChangeOrderStreams.ChangeOrder(e.Number), e.Number, e.Type, e.Reason, [.. e.Affected], e.RequestedEffectivity,
        null, ChangeOrderState.Created, null, []);

    /// <summary>The change order after one more event of its stream; an event it does not know leaves it as it was.</summary>
    public static ChangeOrder? Evolve(ChangeOrder? order, object e) => e is ChangeOrderCreated created ? From(created) : order?.Evolved(e);

    private ChangeOrder Evolved(object e) => e switch
    {
        ChangeOrderApproved x => this with
        {
            ApprovedBy = x.ApprovedBy, State = ChangeOrderState.InProgress,
            Steps = [.. x.Plan.Select(p => new StepState(p, StepSide.Waiting, StepSide.Waiting))],
        },
        StepSent x => Change(x.Step, x.Compensation, side =>
            side with { Status = StepStatus.Sent, Attempts = x.Attempt, IdempotencyKey = x.IdempotencyKey }),
        StepAcknowledged x => Change(x.Step, x.Compensation, side => side with
        {
            Status = StepStatus.Acknowledged, AcknowledgedAt = x.RecordedAt,
            Order = Steps.Count(s => s.Plan.Name != x.Step && s.Side(x.Compensation).AcknowledgedAt is not null) + 1,
        }),
        StepFailed x => Change(x.Step, x.Compensation, side =>
            side with { Status = x.NextAttemptAt is null ? StepStatus.Failed : StepStatus.Retrying, LastError = x.Error }),
        StepRetriedByHand x => RetriedByHand(x.Step),
        ChangeOrderCompleted => this with { State = ChangeOrderState.Completed, StateReason = null },
        ChangeOrderCompensationStarted x => this with { State = ChangeOrderState.Compensating, StateReason = x.Reason },
        ChangeOrderCompensated => this with { State = ChangeOrderState.Compensated },
        ChangeOrderNeedsAttention x => this with { State = ChangeOrderState.NeedsAttention, StateReason = x.Reason },
        _ => this,
    };

    public StepState Step(string name) => Steps.Single(s => s.Plan.Name == name);

    public StepState? FindStep(string name) => Steps.Find(s => s.Plan.Name == name);

    /// <summary>Whether this attempt of the step (or of its compensation) is the one sent and not yet answered.</summary>
    public bool Awaits(string step, bool compensation, int attempt) =>
        FindStep(step)?.Side(compensation) is { Status: StepStatus.Sent } side && side.Attempts == attempt;

    private ChangeOrder Change(string step, bool compensation, Func<StepSide, StepSide> change)
    {
        var index = Steps.FindIndex(s => s.Plan.Name == step);
        var current = Steps[index];
        return this with { Steps = Steps.SetItem(index, current.With(compensation, change(current.Side(compensation)))) };
    }

    /// <summary>The side that failed for good waits to be sent again, in the phase that sends it: compensating for a compensation, in progress for an optional step.</summary>
    private ChangeOrder RetriedByHand(string step)
    {
        var compensation = Step(step).Compensation.Status == StepStatus.Failed;
        var retried = Change(step, compensation, side => side with { Status = StepStatus.Waiting, Attempts = 0 });
        return retried.State switch
        {
            ChangeOrderState.NeedsAttention => retried with { State = ChangeOrderState.Compensating },
            ChangeOrderState.Completed => retried with { State = ChangeOrderState.InProgress },
            _ => retried,
        };
    }
}
