using NodaTime;
using ProductHub.Domain.ChangeOrders;

namespace ProductHub.Projections.ChangeOrders;

public enum ChangeOrderState { Created, InProgress, Completed, Compensating, Compensated, NeedsAttention }

public enum StepStatus { Waiting, Sent, Acknowledged, Retrying, Failed }

/// <summary>A change order, its plan and the timeline of every step: the orchestration's state, rebuilt from its events.</summary>
public sealed class ChangeOrderView
{
    public string Id { get; set; } = "";
    public string Number { get; set; } = "";
    public string Type { get; set; } = "";
    public string Reason { get; set; } = "";
    public List<AffectedRevision> Affected { get; set; } = [];
    public LocalDate RequestedEffectivity { get; set; }
    public string? ApprovedBy { get; set; }
    public ChangeOrderState State { get; set; }
    public string? StateReason { get; set; }
    public List<StepState> Steps { get; set; } = [];
    public List<TimelineEntry> Timeline { get; set; } = [];

    public static ChangeOrderView Create(ChangeOrderCreated e) => new()
    {
        Id = ChangeOrderStreams.ChangeOrder(e.Number), Number = e.Number, Type = e.Type, Reason = e.Reason, Affected = [.. e.Affected],
        RequestedEffectivity = e.RequestedEffectivity, State = ChangeOrderState.Created,
        Timeline = [new TimelineEntry(e.RecordedAt, null, "created", e.Reason)],
    };

    public void Apply(ChangeOrderApproved e)
    {
        ApprovedBy = e.ApprovedBy;
        State = ChangeOrderState.InProgress;
        Steps = e.Plan.Select(p => new StepState { Plan = p }).ToList();
        Timeline.Add(new TimelineEntry(e.RecordedAt, null, "approved", $"by {e.ApprovedBy}, {e.Plan.Count} steps"));
    }

    public void Apply(StepSent e)
    {
        var side = Step(e.Step).Side(e.Compensation);
        side.Status = StepStatus.Sent;
        side.Attempts = e.Attempt;
        side.IdempotencyKey = e.IdempotencyKey;
        Timeline.Add(new TimelineEntry(e.RecordedAt, e.Step, e.Compensation ? "compensation sent" : "sent", $"attempt {e.Attempt}"));
    }

    public void Apply(StepAcknowledged e)
    {
        var side = Step(e.Step).Side(e.Compensation);
        side.Status = StepStatus.Acknowledged;
        side.AcknowledgedAt = e.RecordedAt;
        side.Order = Steps.Count(s => s.Side(e.Compensation).AcknowledgedAt is not null);
        Timeline.Add(new TimelineEntry(e.RecordedAt, e.Step, e.Compensation ? "compensation acknowledged" : "acknowledged", e.Reference));
    }

    public void Apply(StepFailed e)
    {
        var side = Step(e.Step).Side(e.Compensation);
        side.Status = e.NextAttemptAt is null ? StepStatus.Failed : StepStatus.Retrying;
        side.LastError = e.Error;
        Timeline.Add(new TimelineEntry(e.RecordedAt, e.Step,
            (e.Compensation ? "compensation " : "") + (e.NextAttemptAt is null ? "failed" : "retrying"), e.Error));
    }

    public void Apply(StepRetriedByHand e)
    {
        var step = Step(e.Step);
        var side = step.Compensation.Status == StepStatus.Failed ? step.Compensation : step.Forward;
        side.Status = StepStatus.Waiting;
        side.Attempts = 0;
        // Back to the phase that sends it: compensating for a compensation, in progress for an optional step.
        if (State == ChangeOrderState.NeedsAttention) State = ChangeOrderState.Compensating;
        if (State == ChangeOrderState.Completed) State = ChangeOrderState.InProgress;
        Timeline.Add(new TimelineEntry(e.RecordedAt, e.Step, "retried by hand", null));
    }

    public void Apply(ChangeOrderCompleted e) => Settle(ChangeOrderState.Completed, null, e.RecordedAt, "completed");

    public void Apply(ChangeOrderCompensationStarted e) => Settle(ChangeOrderState.Compensating, e.Reason, e.RecordedAt, "compensating");

    public void Apply(ChangeOrderCompensated e) => Settle(ChangeOrderState.Compensated, StateReason, e.RecordedAt, "compensated");

    public void Apply(ChangeOrderNeedsAttention e) => Settle(ChangeOrderState.NeedsAttention, e.Reason, e.RecordedAt, "needs attention");

    public StepState Step(string name) => Steps.Single(s => s.Plan.Name == name);

    /// <summary>Applies an event just appended, so a decision made in the same unit of work sees it.</summary>
    public void When(object e)
    {
        switch (e)
        {
            case ChangeOrderApproved x: Apply(x); break;
            case StepSent x: Apply(x); break;
            case StepAcknowledged x: Apply(x); break;
            case StepFailed x: Apply(x); break;
            case StepRetriedByHand x: Apply(x); break;
            case ChangeOrderCompleted x: Apply(x); break;
            case ChangeOrderCompensationStarted x: Apply(x); break;
            case ChangeOrderCompensated x: Apply(x); break;
            case ChangeOrderNeedsAttention x: Apply(x); break;
            default: throw new ArgumentException($"{e.GetType().Name} is not a change order event", nameof(e));
        }
    }

    private void Settle(ChangeOrderState state, string? reason, Instant at, string what)
    {
        State = state;
        StateReason = reason;
        Timeline.Add(new TimelineEntry(at, null, what, reason));
    }
}

public sealed class StepState
{
    public PlannedStep Plan { get; set; } = null!;
    public StepSide Forward { get; set; } = new();
    public StepSide Compensation { get; set; } = new();

    public StepSide Side(bool compensation) => compensation ? Compensation : Forward;
}

public sealed class StepSide
{
    public StepStatus Status { get; set; }
    public int Attempts { get; set; }
    public string? IdempotencyKey { get; set; }
    public string? LastError { get; set; }
    public Instant? AcknowledgedAt { get; set; }
    public int Order { get; set; }
}

public sealed record TimelineEntry(Instant At, string? Step, string What, string? Detail);
