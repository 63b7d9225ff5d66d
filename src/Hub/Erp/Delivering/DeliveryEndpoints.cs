using System.Security.Claims;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using NodaTime;
using ProductHub.Adapters.Contracts;
using ProductHub.Domain.Erp;
using ProductHub.Domain.Plants;
using ProductHub.Hub.Api;
using ProductHub.Hub.Erp.Instances;
using ProductHub.Hub.Observability;
using ProductHub.Hub.Security;
using ProductHub.Projections.Erp;
using ProductHub.Projections.Plants;
using Wolverine;
using Wolverine.Attributes;
using Wolverine.Http;

namespace ProductHub.Hub.Erp.Delivering;

/// <summary>Body of the acknowledgement callback: the ERP's own reference for what it applied.</summary>
[Contract("canonical/v1/acknowledgement.schema.json")]
public sealed record AcknowledgeDelivery(string? Reference);

/// <summary>Body of the bulk replay: the dead letters of one instance, optionally within a time range.</summary>
[Contract("canonical/v1/replay-dead-letters.schema.json")]
public sealed record ReplayDeadLetters(string Instance, Instant? From, Instant? To);

/// <summary>Body of a resync: optionally only these parts.</summary>
[Contract("canonical/v1/resync.schema.json")]
public sealed record Resync(IReadOnlyList<string>? Parts);

public sealed record AcknowledgementAnswer(string DeliveryId, bool Duplicate, DeliveryView Delivery);

public sealed record RequestedAnswer(int Deliveries);

[Tags("Deliveries")]
public static class DeliveryEndpoints
{
    [Authorize(Policy = Access.Read)]
    [WolverineGet("/api/v1/deliveries", OperationId = "listDeliveries", Summary = "Deliveries to ERP instances with status, attempts and answers")]
    [ProducesResponseType<ListPage<DeliveryView>>(StatusCodes.Status200OK)]
    public static async Task<IResult> List(
        string? instance, string? plant, string? part, string? status, string? page, string? pageSize, HttpRequest request,
        ClaimsPrincipal user, IQuerySession session, CancellationToken ct)
    {
        var scope = ReadScope.Of(user);
        if (!QueryParameters.TryEnum<DeliveryStatus>(status, nameof(status), out var wanted, out var problem) ||
            !Paging.TryRead(page, pageSize, out var paging, out problem) ||
            (problem = scope.Refuses(plant)) is not null)
        {
            return problem!;
        }
        var query = session.Query<DeliveryView>().AsQueryable();
        if (scope.Plants is { } plants) query = query.Where(d => d.PlantCode.IsOneOf(plants));
        if (instance is not null) query = query.Where(d => d.Instance == instance);
        if (plant is not null) query = query.Where(d => d.PlantCode == plant);
        if (part is not null) query = query.Where(d => d.PartNumber == part);
        if (wanted is not null) query = query.Where(d => d.Status == wanted);
        return await paging.AnswerAsync(request, query.OrderByDescending(d => d.RequestedAt).ThenBy(d => d.Id), d => ForCaller(d, scope), ct);
    }

    /// <summary>Another plant's delivery is not found for an ERP: a 404 like an unknown id, so its ids cannot be probed.</summary>
    [Authorize(Policy = Access.Read)]
    [WolverineGet("/api/v1/deliveries/{id}", OperationId = "getDelivery", Summary = "One delivery with its payload and the ERP's answer")]
    [ProducesResponseType<DeliveryView>(StatusCodes.Status200OK), ProblemAnswers(404)]
    public static async Task<IResult> Get(string id, ClaimsPrincipal user, IQuerySession session, CancellationToken ct)
    {
        var scope = ReadScope.Of(user);
        return await session.LoadAsync<DeliveryView>(ErpStreams.Delivery(id), ct) is { } delivery && scope.Sees(delivery.PlantCode)
            ? Results.Ok(ForCaller(delivery, scope))
            : UnknownDelivery(id);
    }

    /// <summary>The delivery as this caller may read it: the ERP's error body for admins only.</summary>
    public static DeliveryView ForCaller(DeliveryView delivery, ReadScope scope)
    {
        delivery.LastError = scope.Error(delivery.LastError);
        return delivery;
    }

    /// <summary>The ERP's acknowledgement callback. An acknowledgement received twice is recorded once.</summary>
    [Authorize(Policy = Access.PlantFeedback)]
    [WolverinePost("/api/v1/deliveries/{id}/ack", OperationId = "acknowledgeDelivery", Summary = "Acknowledge a delivery (the ERP's callback)"), NonTransactional]
    [ProducesResponseType<AcknowledgementAnswer>(StatusCodes.Status200OK)]
    [ProblemAnswers(404)]
    public static async Task<IResult> Acknowledge(
        string id, AcknowledgeDelivery body, ClaimsPrincipal user, IDocumentSession session, IClock clock,
        HubMetrics metrics, CancellationToken ct)
    {
        var (outcome, delivery) = await DeliveryAcknowledgements.RecordAsync(session, metrics, id, body.Reference,
            d => PlantAccess.Allows(user, d.PlantCode), clock.GetCurrentInstant(), ct);
        return outcome switch
        {
            AcknowledgementOutcome.UnknownDelivery => UnknownDelivery(id),
            AcknowledgementOutcome.NotAllowed => PlantAccess.Refused($"delivery {id}"),
            AcknowledgementOutcome.Superseded => Problems.Conflict($"Delivery {id} was superseded by a newer version and never sent."),
            AcknowledgementOutcome.Conflict => Problems.Conflict($"Delivery {id} changed while it was acknowledged; send the acknowledgement again."),
            _ => Results.Ok(new AcknowledgementAnswer(id, outcome == AcknowledgementOutcome.Duplicate, ForCaller(delivery!, ReadScope.Of(user)))),
        };
    }

    [Authorize(Policy = Access.Administration)]
    [WolverinePost("/api/v1/deliveries/{id}/replay", OperationId = "replayDelivery", Summary = "Send one delivery again"), NonTransactional]
    [ProducesResponseType<RequestedAnswer>(StatusCodes.Status202Accepted), ProblemAnswers(404)]
    public static Task<IResult> Replay(string id, IDocumentSession session, IMessageBus bus, IClock clock, CancellationToken ct) =>
        ReplaySelectedAsync([id], session, bus, clock, ct);

    /// <summary>
    /// Sends these deliveries again in one unit of work (the web workbench replays a selection), so each send
    /// order leaves through the outbox with the events that record it.
    /// </summary>
    public static async Task<IResult> ReplaySelectedAsync(
        IReadOnlyList<string> ids, IDocumentSession session, IMessageBus bus, IClock clock, CancellationToken ct)
    {
        var deliveries = (await session.LoadManyAsync<DeliveryView>(ct, ids.Select(ErpStreams.Delivery))).ToDictionary(d => d.DeliveryId);
        if (ids.FirstOrDefault(id => !deliveries.ContainsKey(id)) is { } unknown) return UnknownDelivery(unknown);
        var replayed = await ReplayAsync(session, bus, ids.Select(id => deliveries[id]), "replay", clock.GetCurrentInstant(), ct);
        await session.SaveChangesAsync(ct);
        return Results.Accepted(value: new RequestedAnswer(replayed));
    }

    /// <summary>Sends the dead letters of an instance again, those requested within [from, to) when given.</summary>
    [Authorize(Policy = Access.Administration)]
    [WolverinePost("/api/v1/deliveries/replay", OperationId = "replayDeadLetteredDeliveries", Summary = "Send the dead-lettered deliveries of an instance within a time range again")]
    [NonTransactional]
    [ProducesResponseType<RequestedAnswer>(StatusCodes.Status202Accepted)]
    public static async Task<IResult> ReplayDeadLettered(
        ReplayDeadLetters body, IDocumentSession session, IMessageBus bus, IClock clock, CancellationToken ct)
    {
        var deadLetters = await session.Query<DeliveryView>()
            .Where(d => d.Instance == body.Instance && d.Status == DeliveryStatus.DeadLettered).ToListAsync(ct);
        var inRange = deadLetters.Where(d => (body.From is null || d.RequestedAt >= body.From) && (body.To is null || d.RequestedAt < body.To));
        var replayed = await ReplayAsync(session, bus, inRange, "replay of dead letters", clock.GetCurrentInstant(), ct);
        await session.SaveChangesAsync(ct);
        return Results.Accepted(value: new RequestedAnswer(replayed));
    }

    /// <summary>
    /// Pushes the current plant data of every plant this instance feeds again (onboarding an instance, or after
    /// the ERP restored a backup), under the same idempotency keys so the ERP can drop what it already has.
    /// </summary>
    [Authorize(Policy = Access.Administration)]
    [WolverinePost("/api/v1/erp-instances/{name}/resync", OperationId = "resyncErpInstance", Summary = "Push the current plant data to an ERP instance again")]
    [NonTransactional]
    [ProducesResponseType<RequestedAnswer>(StatusCodes.Status202Accepted), ProblemAnswers(404)]
    public static async Task<IResult> ResyncInstance(
        string name, Resync body, IDocumentSession session, IMessageBus bus, IClock clock,
        CancellationToken ct)
    {
        if (await session.LoadAsync<ErpInstanceView>(ErpStreams.Instance(name), ct) is null)
            return ConfigureErpInstanceEndpoint.UnknownInstance(name);

        var plants = await PlantsOfInstance.CodesAsync(session, name, ct);
        var published = await session.Query<PlantBomView>().Where(v => v.PlantCode.IsOneOf(plants.ToArray())).ToListAsync(ct);
        var now = clock.GetCurrentInstant();
        var count = 0;
        foreach (var view in published.Where(v => body.Parts is null || body.Parts.Contains(v.PartNumber)))
        {
            // No release started this, so there is no release-to-ERP latency to measure.
            await Deliveries.RequestAsync(session, bus, name, view.Latest, releasedAt: null, "resync", now, ct);
            count++;
        }
        await session.SaveChangesAsync(ct);
        return Results.Accepted(value: new RequestedAnswer(count));
    }

    private static async Task<int> ReplayAsync(
        IDocumentSession session, IMessageBus bus, IEnumerable<DeliveryView> deliveries, string reason, Instant now, CancellationToken ct)
    {
        var count = 0;
        foreach (var delivery in deliveries)
        {
            var latest = (await session.LoadAsync<PlantBomView>(PlantStreams.Mbom(delivery.PlantCode, delivery.PartNumber), ct))?.Latest;
            if (latest is null) continue;
            await Deliveries.RequestAgainAsync(session, bus, delivery, latest, reason, now, ct);
            count++;
        }
        return count;
    }

    private static IResult UnknownDelivery(string id) => Problems.NotFound($"No delivery {id} is known to the hub.");
}
