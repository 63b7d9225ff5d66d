using System.Text.Json;
using Marten;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using NodaTime;
using ProductHub.Adapters.Erp;
using ProductHub.Domain.ChangeOrders;
using ProductHub.Domain.Erp;
using ProductHub.Hub.Outbound;
using ProductHub.Projections.ChangeOrders;
using ProductHub.Projections.Erp;
using ProductHub.Projections.Parts;
using Wolverine;

namespace ProductHub.Hub.ChangeOrders.Orchestrating;

/// <summary>Sends a step to its system. Runs in parallel with other sends; only the answer goes back to the change order.</summary>
public static class SendChangeOrderStepHandler
{
    public static async Task Handle(
        SendChangeOrderStep command, IQuerySession session, IMessageBus bus, Connectors connectors, IOptions<JsonOptions> json,
        CancellationToken ct)
    {
        var view = await session.LoadAsync<ChangeOrderView>(ChangeOrderStreams.ChangeOrder(command.Number), ct);
        if (view is null) return;
        var step = view.Steps.Single(s => s.Plan.Name == command.Step);
        var instance = (await session.LoadAsync<ErpInstanceView>(ErpStreams.Instance(step.Plan.Instance), ct))?.Configuration;
        var key = ChangeOrderFlow.IdempotencyKey(view.Number, step.Plan.Name, command.Compensation);
        var parts = (await session.LoadManyAsync<PartView>(ct, view.Affected.Select(a => a.PartNumber).Distinct())).ToDictionary(p => p.Id);
        // Creating the change order checked that each affected revision exists; the part's stream only grows.
        var changes = view.Affected.Select(a => StepContent.Of(
            instance?.Kind ?? SystemKind.Erp, parts[a.PartNumber], parts[a.PartNumber].FindRevision(a.Revision)!, view.RequestedEffectivity)).ToList();
        var payload = JsonSerializer.Serialize(new
        {
            changeOrder = view.Number, view.Type, view.Reason, step = step.Plan.Name,
            action = command.Compensation ? step.Plan.CompensationAction : step.Plan.Action,
            compensation = command.Compensation, affected = view.Affected, requestedEffectivity = view.RequestedEffectivity,
            attempt = command.Attempt, idempotencyKey = key, changes,
        }, json.Value.SerializerOptions);

        // File and kafka hand the step over, and the system acknowledges by callback.
        var (_, outcome) = await connectors.SendAsync(step.Plan.Instance, instance, new StepOutgoing(view.Number, key, payload), bus, ct);
        await bus.PublishAsync(outcome switch
        {
            ChannelOutcome.Acknowledged ack => new ChangeOrderStepAnswered(command.Number, command.Step, command.Compensation, command.Attempt, true, ack.Reference, null),
            ChannelOutcome.Failed failed => new ChangeOrderStepAnswered(command.Number, command.Step, command.Compensation, command.Attempt, false, null, failed.Error),
            _ => new ChangeOrderStepAnswered(command.Number, command.Step, command.Compensation, command.Attempt, false, null, null),
        });
    }
}

/// <summary>A change order step: the same JSON over every channel, a <c>.json</c> file in a drop folder.</summary>
public sealed record StepOutgoing(string ChangeOrder, string Key, string Json) : Outgoing(Key)
{
    public override string Render(ErpInstanceConfigured target) => Json;

    public override string Extension(ErpInstanceConfigured target) => "json";

    /// <summary>Keyed by change order, so one order's steps stay in order on the topic.</summary>
    public override object TopicMessage(string payload, DeliveryOptions options)
    {
        options.PartitionKey = ChangeOrder;
        return new ChangeOrderStepMessage(Key, ChangeOrder, System.Text.Json.Nodes.JsonNode.Parse(payload)!);
    }
}

/// <summary>What a system consumer reads from its topic for a change order step.</summary>
public sealed record ChangeOrderStepMessage(string IdempotencyKey, string ChangeOrder, System.Text.Json.Nodes.JsonNode Payload);

/// <summary>
/// The change order's own queue, one message at a time: answers, time-outs and retries become facts on its
/// stream, then the flow decides what follows. A message about an attempt that is no longer current is ignored.
/// </summary>
public static class ChangeOrderAnswerHandler
{
    public static Task Handle(ChangeOrderStepAnswered answer, IDocumentSession session, IMessageBus bus, IClock clock, CancellationToken ct) =>
        DecideAsync(answer.Number, (order, now) => ChangeOrderFlow.Answered(order, answer, now), session, bus, clock, ct);

    public static Task Handle(ChangeOrderStepTimedOut timedOut, IDocumentSession session, IMessageBus bus, IClock clock, CancellationToken ct) =>
        DecideAsync(timedOut.Number, (order, now) => ChangeOrderFlow.TimedOut(order, timedOut, now), session, bus, clock, ct);

    public static Task Handle(RetryChangeOrderStep retry, IDocumentSession session, IMessageBus bus, IClock clock, CancellationToken ct) =>
        DecideAsync(retry.Number, (order, now) => ChangeOrderFlow.Retry(order, retry, now), session, bus, clock, ct);

    private static async Task DecideAsync(
        string number, Func<ChangeOrder, Instant, FlowDecision> decide, IDocumentSession session, IMessageBus bus, IClock clock, CancellationToken ct)
    {
        var stream = await session.Events.FetchForWriting<ChangeOrder>(ChangeOrderStreams.ChangeOrder(number), ct);
        if (stream.Aggregate is not { } order) return;
        await ChangeOrderFlow.RecordAsync(stream, order, decide(order, clock.GetCurrentInstant()), bus);
    }
}
