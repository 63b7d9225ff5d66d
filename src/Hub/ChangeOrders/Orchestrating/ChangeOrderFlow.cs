using JasperFx.Events;
using NodaTime;
using ProductHub.Domain;
using ProductHub.Domain.ChangeOrders;
using ProductHub.Hub.Observability;
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
public sealed record FlowDecision(IReadOnlyList<object> Events, IReadOnlyList<FlowMessage> Messages)
{
    public static readonly FlowDecision Nothing = new([], []);
}

/// <summary>
/// The orchestration: after every fact about a change order, decide what follows, as events on its stream and
/// messages through the outbox. Stages run in order, the steps of a stage in parallel; a blocking step that
/// fails for good stops later stages and compensates the acknowledged steps in reverse order of acknowledgement.
/// The decisions are pure functions of the change order, the facts and the time; <see cref="RecordAsync"/> appends and sends one.
/// </summary>
public static class ChangeOrderFlow
{
    /// <summary>Appends what was decided to the change order's stream and sends its messages through the outbox.</summary>
    /// <param name="current">The change order the decision was taken on (for a new stream, built from its first event).</param>
    public static async Task RecordAsync(IEventStream<ChangeOrder> stream, ChangeOrder current, FlowDecision decision, IMessageBus bus)
    {
        Correlation.Mark(current.Number);
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
    public static FlowDecision Decide(ChangeOrder current, IReadOnlyList<object> facts, Instant now)
    {
        var order = current;
        var events = new List<object>();
        var messages = new List<FlowMessage>();
        foreach (var fact in facts) Take(fact);
        while (Next(order, now) is { } next) Take(next);
        return new FlowDecision(events, messages);

        void Take(object e)
        {
            events.Add(e);
            order = ChangeOrder.Evolve(order, e)!;
            switch (e)
            {
                case StepSent sent:
                    messages.Add(new FlowMessage(new SendChangeOrderStep(order.Number, sent.Step, sent.Compensation, sent.Attempt)));
                    break;
                case StepFailed { NextAttemptAt: { } at } failed:
                    messages.Add(new FlowMessage(new RetryChangeOrderStep(order.Number, failed.Step, failed.Compensation, failed.Attempt + 1), at - now));
                    break;
            }
        }
    }

    /// <summary>
    /// A system's answer to the attempt awaiting one: acknowledged, failed, or handed over (the system acknowledges
    /// by callback, or the step times out). An answer to an attempt that is no longer current changes nothing.
    /// </summary>
    public static FlowDecision Answered(ChangeOrder order, ChangeOrderStepAnswered answer, Instant now)
    {
        if (!order.Awaits(answer.Step, answer.Compensation, answer.Attempt)) return FlowDecision.Nothing;
        if (answer.Acknowledged)
            return Decide(order, [new StepAcknowledged(answer.Number, answer.Step, answer.Compensation, answer.Reference, now)], now);
        if (answer.Error is { } error)
            return Decide(order, [Failure(order, answer.Step, answer.Compensation, answer.Attempt, error, now)], now);
        var timeout = Duration.FromSeconds(order.Step(answer.Step).Plan.TimeoutSeconds);
        return new FlowDecision([], [new FlowMessage(new ChangeOrderStepTimedOut(answer.Number, answer.Step, answer.Compensation, answer.Attempt), timeout)]);
    }

    public static FlowDecision TimedOut(ChangeOrder order, ChangeOrderStepTimedOut timedOut, Instant now) =>
        order.Awaits(timedOut.Step, timedOut.Compensation, timedOut.Attempt)
            ? Decide(order, [Failure(order, timedOut.Step, timedOut.Compensation, timedOut.Attempt,
                $"no acknowledgement within {order.Step(timedOut.Step).Plan.TimeoutSeconds} s", now)], now)
            : FlowDecision.Nothing;

    /// <summary>The retry scheduled after a failure sends the next attempt, unless something else happened to the step since.</summary>
    public static FlowDecision Retry(ChangeOrder order, RetryChangeOrderStep retry, Instant now) =>
        order.FindStep(retry.Step)?.Side(retry.Compensation) is { Status: StepStatus.Retrying } side && side.Attempts == retry.Attempt - 1
            ? Decide(order, [new StepSent(retry.Number, retry.Step, retry.Compensation, retry.Attempt,
                IdempotencyKey(retry.Number, retry.Step, retry.Compensation), now)], now)
            : FlowDecision.Nothing;

    /// <summary>Counted before the fact is applied: a retry by hand (always the first fact) is of the side that failed.</summary>
    private static void Count(ChangeOrder before, object fact)
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
    public static StepFailed Failure(ChangeOrder order, string step, bool compensation, int attempt, string error, Instant now)
    {
        var next = order.Step(step).Plan.Retry.NextAttemptAfter(attempt, now);
        return new StepFailed(order.Number, step, compensation, attempt, error, next, now);
    }

    public static string IdempotencyKey(string number, string step, bool compensation) =>
        ContentHash.Of($"{number}\n{step}\n{(compensation ? "compensate" : "apply")}");

    /// <summary>The one thing that follows from the change order's state now, if anything.</summary>
    private static object? Next(ChangeOrder order, Instant now)
    {
        switch (order.State)
        {
            case ChangeOrderState.InProgress:
                if (order.Steps.FirstOrDefault(s => s.Plan.Blocking && s.Forward.Status == StepStatus.Failed) is { } failed)
                    return new ChangeOrderCompensationStarted(order.Number, $"{failed.Plan.Name} failed: {failed.Forward.LastError}", now);
                var stage = order.Steps.Where(s => !Settled(s)).Select(s => (int?)s.Plan.Stage).Min();
                if (stage is null) return new ChangeOrderCompleted(order.Number, now);
                return order.Steps.FirstOrDefault(s => s.Plan.Stage == stage && s.Forward.Status == StepStatus.Waiting) is { } waiting
                    ? Sent(order, waiting, compensation: false, now)
                    : null;

            case ChangeOrderState.Compensating:
                var next = order.Steps
                    .Where(s => s.Forward.Status == StepStatus.Acknowledged && s.Plan.CompensationAction is not null)
                    .OrderByDescending(s => s.Forward.Order)
                    .FirstOrDefault(s => s.Compensation.Status != StepStatus.Acknowledged);
                return next?.Compensation.Status switch
                {
                    null => new ChangeOrderCompensated(order.Number, now),
                    StepStatus.Failed => new ChangeOrderNeedsAttention(order.Number,
                        $"compensation of {next.Plan.Name} failed: {next.Compensation.LastError}", now),
                    StepStatus.Waiting => Sent(order, next, compensation: true, now),
                    _ => null,
                };

            default:
                return null;
        }
    }

    private static bool Settled(StepState step) =>
        step.Forward.Status == StepStatus.Acknowledged || (step.Forward.Status == StepStatus.Failed && !step.Plan.Blocking);

    private static StepSent Sent(ChangeOrder order, StepState step, bool compensation, Instant now) =>
        new(order.Number, step.Plan.Name, compensation, step.Side(compensation).Attempts + 1,
            IdempotencyKey(order.Number, step.Plan.Name, compensation), now);
}
