using NodaTime;
using ProductHub.Domain.Erp;

namespace ProductHub.Domain.ChangeOrders;

// Change order orchestration (Pattern 2): a policy per change order type (stream co-policy/{type}) and each
// change order's own stream (change-order/{number}), which is also the orchestration's state: a restarted hub
// reads where every change order stands from its events.

/// <summary>One step of a policy stage. <c>Target</c> is a system instance, or <c>plant-erps</c>: one step per affected plant's ERP.</summary>
public sealed record PolicyStep(
    string Name, string Target, string Action, int TimeoutSeconds, DeliveryRetry Retry, bool Blocking, string? CompensationAction);

public sealed record PolicyStage(string Name, IReadOnlyList<PolicyStep> Steps);

public sealed record ChangeOrderPolicyDefined(string Type, IReadOnlyList<PolicyStage> Stages, Instant RecordedAt);

public sealed record AffectedRevision(string PartNumber, string Revision);

public sealed record ChangeOrderCreated(
    string Number, string Type, string Reason, IReadOnlyList<AffectedRevision> Affected, LocalDate RequestedEffectivity,
    string Source, Instant RecordedAt);

/// <summary>A step as planned at approval: the policy's step bound to one concrete system instance.</summary>
public sealed record PlannedStep(
    string Name, int Stage, string Instance, string Action, int TimeoutSeconds, DeliveryRetry Retry, bool Blocking, string? CompensationAction);

/// <summary>Approval fixes the plan: later policy changes do not touch a change order in flight.</summary>
public sealed record ChangeOrderApproved(string Number, string ApprovedBy, IReadOnlyList<PlannedStep> Plan, Instant RecordedAt);

public sealed record StepSent(string Number, string Step, bool Compensation, int Attempt, string IdempotencyKey, Instant RecordedAt);

public sealed record StepAcknowledged(string Number, string Step, bool Compensation, string? Reference, Instant RecordedAt);

public sealed record StepFailed(string Number, string Step, bool Compensation, int Attempt, string Error, Instant? NextAttemptAt, Instant RecordedAt);

public sealed record StepRetriedByHand(string Number, string Step, Instant RecordedAt);

public sealed record ChangeOrderCompleted(string Number, Instant RecordedAt);

public sealed record ChangeOrderCompensationStarted(string Number, string Reason, Instant RecordedAt);

public sealed record ChangeOrderCompensated(string Number, Instant RecordedAt);

public sealed record ChangeOrderNeedsAttention(string Number, string Reason, Instant RecordedAt);

public static class ChangeOrderStreams
{
    public static string Policy(string type) => $"co-policy/{type}";

    public static string ChangeOrder(string number) => $"change-order/{number}";

    public const string PlantErps = "plant-erps";
}
