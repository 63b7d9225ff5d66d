using System.Text.Json;
using JasperFx.Events;
using NodaTime;
using ProductHub.Domain;
using ProductHub.Domain.ChangeOrders;
using ProductHub.Hub.Api;
using ProductHub.Hub.Observability;
using ProductHub.Projections.ChangeOrders;
using Wolverine;

namespace ProductHub.Hub.ChangeOrders.Orchestrating;

/// <summary>Send one step (or its compensation) to its system: done in parallel, outside the change order's own queue.</summary>
public sealed record SendChangeOrderStep(string Number, string Step, bool Compensation, int Attempt);

/// <summary>What a system answered to one attempt; recorded on the change order's sequential queue.</summary>
public sealed record ChangeOrderStepAnswered(string Number, string Step, bool Compensation, int Attempt, bool Acknowledged, string? Reference, string? Error);

public sealed record ChangeOrderStepTimedOut(string Number, string Step, bool Compensation, int Attempt);

public sealed record RetryChangeOrderStep(string Number, string Step, bool Compensation, int Attempt);

/// <summary>A message the flow sends, now or after a wait.</summary>
public sealed record FlowMessage(object Message, Duration? After = null);

/// <summary>What follows from facts about a change order: the events to record and the messages to send with them.</summary>
public sealed record FlowDecision(IReadOnlyList<object> Events, IReadOnlyList<FlowMessage> Messages);

/// <summary>
/// The orchestration: after every fact about a change order, decide what follows, as events on its stream and
/// messages through the outbox. Stages run in order, the steps of a stage in parallel; a blocking step that
/// fails for good stops later stages and compensates the acknowledged steps in reverse order of acknowledgement.
/// <see cref="Decide"/> is the pure part; <see cref="RecordAsync"/> appends and sends what it decided.
/// </summary>
public static class ChangeOrderFlow
{
    private static readonly JsonSerializerOptions Json = HubJson.Create();

    public static Task RecordAsync(IEventStream<ChangeOrderView> stream, IMessageBus bus, Instant now, params object[] facts) =>
        RecordAsync(stream, stream.Aggregate!, bus, now, facts);

    /// <param name="current">The change order as it stands before the facts (for a new stream, built from its first event).</param>
    public static async Task RecordAsync(
        IEventStream<ChangeOrderView> stream, ChangeOrderView current, IMessageBus bus, Instant now, params object[] facts)
    {
        Correlation.Mark(current.Number);
        var decision = Decide(current, facts, now);
        foreach (var e in decision.Events)
        {
            stream.AppendOne(e);
            Count(current, e);
        }
        // The change order is the correlation id of its sends, their answers and the events they record.
        var options = new DeliveryOptions { CorrelationId = current.Number };
        foreach (var message in decision.Messages)
        {
            if (message.After is { } after) await bus.ScheduleAsync(message.Message, after.ToTimeSpan(), options);
            else await bus.PublishAsync(message.Message, options);
        }
    }

    /// <summary>
    /// The facts, then whatever follows from them one after another, with a send for every step sent and a
    /// scheduled retry for every failure that waits for one.
    /// </summary>
    public static FlowDecision Decide(ChangeOrderView current, IReadOnlyList<object> facts, Instant now)
    {
        // Decided on a copy: the caller's view is the stream's own aggregate, which Marten applies the events to on save.
        var view = JsonSerializer.Deserialize<ChangeOrderView>(JsonSerializer.Serialize(current, Json), Json)!;
        var events = new List<object>();
        var messages = new List<FlowMessage>();
        foreach (var fact in facts) Take(fact);
        while (Next(view, now) is { } next) Take(next);
        return new FlowDecision(events, messages);

        void Take(object e)
        {
            events.Add(e);
            view.When(e);
            switch (e)
            {
                case StepSent sent:
                    messages.Add(new FlowMessage(new SendChangeOrderStep(view.Number, sent.Step, sent.Compensation, sent.Attempt)));
                    break;
                case StepFailed { NextAttemptAt: { } at } failed:
                    messages.Add(new FlowMessage(new RetryChangeOrderStep(view.Number, failed.Step, failed.Compensation, failed.Attempt + 1), at - now));
                    break;
            }
        }
    }

    /// <summary>Counted before the fact is applied: a retry by hand (always the first fact) is of the side that failed.</summary>
    private static void Count(ChangeOrderView before, object fact)
    {
        switch (fact)
        {
            case StepSent x: HubMetrics.ChangeOrderStep("sent", x.Compensation); break;
            case StepAcknowledged x: HubMetrics.ChangeOrderStep("acknowledged", x.Compensation); break;
            case StepFailed x: HubMetrics.ChangeOrderStep(x.NextAttemptAt is null ? "failed" : "retrying", x.Compensation); break;
            case StepRetriedByHand x: HubMetrics.ChangeOrderStep("retriedByHand", before.Step(x.Step).Compensation.Status == StepStatus.Failed); break;
        }
    }

    /// <summary>The failure of one attempt: to be retried after the step's backoff, or failed for good past its limit.</summary>
    public static StepFailed Failure(ChangeOrderView view, string step, bool compensation, int attempt, string error, Instant now)
    {
        var plan = view.Step(step).Plan;
        return attempt >= plan.Retry.MaxAttempts
            ? new StepFailed(view.Number, step, compensation, attempt, error, null, now)
            : new StepFailed(view.Number, step, compensation, attempt, error, now + plan.Retry.WaitBefore(attempt), now);
    }

    public static string IdempotencyKey(string number, string step, bool compensation) =>
        ContentHash.Of($"{number}\n{step}\n{(compensation ? "compensate" : "apply")}");

    /// <summary>The one thing that follows from the change order's state now, if anything.</summary>
    private static object? Next(ChangeOrderView view, Instant now)
    {
        switch (view.State)
        {
            case ChangeOrderState.InProgress:
                if (view.Steps.FirstOrDefault(s => s.Plan.Blocking && s.Forward.Status == StepStatus.Failed) is { } failed)
                    return new ChangeOrderCompensationStarted(view.Number, $"{failed.Plan.Name} failed: {failed.Forward.LastError}", now);
                var stage = view.Steps.Where(s => !Settled(s)).Select(s => (int?)s.Plan.Stage).Min();
                if (stage is null) return new ChangeOrderCompleted(view.Number, now);
                return view.Steps.FirstOrDefault(s => s.Plan.Stage == stage && s.Forward.Status == StepStatus.Waiting) is { } waiting
                    ? Sent(view, waiting, compensation: false, now)
                    : null;

            case ChangeOrderState.Compensating:
                var next = view.Steps
                    .Where(s => s.Forward.Status == StepStatus.Acknowledged && s.Plan.CompensationAction is not null)
                    .OrderByDescending(s => s.Forward.Order)
                    .FirstOrDefault(s => s.Compensation.Status != StepStatus.Acknowledged);
                return next?.Compensation.Status switch
                {
                    null => new ChangeOrderCompensated(view.Number, now),
                    StepStatus.Failed => new ChangeOrderNeedsAttention(view.Number,
                        $"compensation of {next.Plan.Name} failed: {next.Compensation.LastError}", now),
                    StepStatus.Waiting => Sent(view, next, compensation: true, now),
                    _ => null,
                };

            default:
                return null;
        }
    }

    private static bool Settled(StepState step) =>
        step.Forward.Status == StepStatus.Acknowledged || (step.Forward.Status == StepStatus.Failed && !step.Plan.Blocking);

    private static StepSent Sent(ChangeOrderView view, StepState step, bool compensation, Instant now) =>
        new(view.Number, step.Plan.Name, compensation, step.Side(compensation).Attempts + 1,
            IdempotencyKey(view.Number, step.Plan.Name, compensation), now);
}
