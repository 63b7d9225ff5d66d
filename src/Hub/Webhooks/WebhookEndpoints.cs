using System.Security.Claims;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using NodaTime;
using ProductHub.Adapters.Contracts;
using ProductHub.Domain.Erp;
using ProductHub.Domain.Secrets;
using ProductHub.Domain.Webhooks;
using ProductHub.Hub.Api;
using ProductHub.Hub.Feed;
using ProductHub.Hub.Outbound;
using ProductHub.Hub.Security;
using ProductHub.Hub.Security.Secrets;
using ProductHub.Projections.Webhooks;
using Wolverine.Attributes;
using Wolverine.Http;

namespace ProductHub.Hub.Webhooks;

/// <summary>Body of <c>PUT /api/v1/webhooks/{name}</c>, shaped by <c>schemas/canonical/v1/webhook.schema.json</c>.</summary>
[Contract("canonical/v1/webhook.schema.json")]
public sealed record ConfigureWebhook(
    string? Url, string? AuthHeader, SecretFrom? AuthHeaderFrom, string? DropFolder, IReadOnlyList<string>? EventTypes, string? Start,
    RetryBody? Retry);

/// <summary>Feed positions [from, to], or the events recorded within [fromTime, toTime).</summary>
[Contract("canonical/v1/replay-webhook.schema.json")]
public sealed record ReplayWebhook(long? From, long? To, Instant? FromTime, Instant? ToTime);

/// <summary>A subscription as answered: never its auth header, only whether one is set and where it comes from.</summary>
public sealed record WebhookResponse(
    string Name, string? Url, string? DropFolder, bool HasAuthHeader, SecretReference? AuthHeaderSecret, IReadOnlyList<string> EventTypes,
    long Position, int Attempts, string? LastError, Instant? LastDeliveredAt, IReadOnlyList<WebhookBatchDeadLettered> DeadLetters);

[Tags("Webhooks")]
public static class WebhookEndpoints
{
    /// <summary>Subscribes a downstream system to canonical changes, from now on (default) or from the beginning.</summary>
    [Authorize(Policy = Access.Administration)]
    [WolverinePut("/api/v1/webhooks/{name}", OperationId = "configureWebhook", Summary = "Subscribe a webhook to the change feed"), NonTransactional]
    [ProducesResponseType<WebhookResponse>(StatusCodes.Status200OK)]
    public static async Task<IResult> Put(
        string name, ConfigureWebhook body, IDocumentSession session, IClock clock, OutboundPolicy outbound,
        SecretStore secrets,
        CancellationToken ct)
    {
        if (!Keys.IsValid(name)) return Problems.Invalid(nameof(name), $"a webhook name is {Keys.Rule}");
        if (body.Url is { } url && await outbound.RefusalAsync(url, ct) is { } refusal) return Problems.Invalid("$.url", refusal);
        if (body is { AuthHeader: not null, AuthHeaderFrom: not null })
            return Problems.Invalid("$.authHeaderFrom", "give the auth header or where it comes from, not both");
        if (UnknownTypes(body.EventTypes ?? []) is { Count: > 0 } unknown) return Problems.Invalid(unknown);

        var stream = await session.Events.FetchForWriting<WebhookView>(WebhookStreams.Webhook(name), ct);
        var startAfter = stream.Aggregate?.Configuration.StartAfter
                         ?? (body.Start == "beginning" ? 0 : await GetFeed.HeadAsync(session, ct));
        var authHeader = await secrets.KeepAsync(session, SecretName.WebhookAuthHeader(name), body.AuthHeader, body.AuthHeaderFrom, ct);
        stream.AppendOne(new WebhookConfigured(name, body.Url, authHeader, body.DropFolder, body.EventTypes ?? [], startAfter,
            RetryBody.ToRetry(body.Retry),
            clock.GetCurrentInstant()));
        await session.SaveChangesAsync(ct);
        return Results.Ok(await ResponseAsync(session, name, ct));
    }

    [Authorize(Policy = Access.Read)]
    [WolverineGet("/api/v1/webhooks/{name}", OperationId = "getWebhook", Summary = "A webhook subscription and its progress")]
    [ProducesResponseType<WebhookResponse>(StatusCodes.Status200OK), ProblemAnswers(404)]
    public static async Task<IResult> Get(string name, ClaimsPrincipal user, IQuerySession session, CancellationToken ct) =>
        await ResponseAsync(session, name, ct) is { } response ? Results.Ok(ForCaller(response, ReadScope.Of(user))) : UnknownWebhook(name);

    /// <summary>The subscription as this caller may read it: the subscriber's error bodies for admins only.</summary>
    private static WebhookResponse ForCaller(WebhookResponse response, ReadScope scope) => response with
    {
        LastError = scope.Error(response.LastError),
        DeadLetters = response.DeadLetters.Select(d => d with { Error = scope.Error(d.Error)! }).ToList(),
    };

    /// <summary>Sends dead-lettered positions again, before the subscription goes on.</summary>
    [Authorize(Policy = Access.Administration)]
    [WolverinePost("/api/v1/webhooks/{name}/replay", OperationId = "replayWebhook", Summary = "Send a range of the feed to a webhook again"), NonTransactional]
    [ProducesResponseType<WebhookResponse>(StatusCodes.Status202Accepted), ProblemAnswers(404)]
    public static async Task<IResult> Replay(
        string name, ReplayWebhook body, IDocumentSession session, IClock clock, CancellationToken ct)
    {
        var key = WebhookStreams.Webhook(name);
        if (await session.LoadAsync<WebhookView>(key, ct) is not { } webhook) return UnknownWebhook(name);
        var (from, to) = body.FromTime is { } fromTime
            ? await PositionsWithinAsync(session, fromTime, body.ToTime ?? clock.GetCurrentInstant(), ct)
            : (body.From ?? 0, body.To ?? 0);
        if (to < from) return Problems.Invalid("$.to", "must not be before from");

        if (to > 0)
        {
            var now = clock.GetCurrentInstant();
            session.Store(new WebhookReplay { Id = Guid.NewGuid(), Webhook = webhook.Id, From = from, To = to, RequestedAt = now });
            session.Events.Append(key, new WebhookReplayRequested(name, from, to, now));
        }
        await session.SaveChangesAsync(ct);
        return Results.Accepted(value: await ResponseAsync(session, name, ct));
    }

    /// <summary>A subscription can name public event types only: it would never receive any other.</summary>
    private static Dictionary<string, string[]> UnknownTypes(IReadOnlyList<string> types) =>
        types.Select((type, index) => (type, index)).Where(t => PublicEvents.Named(t.type) is null)
            .ToDictionary(t => $"$.eventTypes[{t.index}]", t => new[] { $"{t.type} is not an event type of the feed (see /schemas/events/v1/)" });

    private static async Task<(long From, long To)> PositionsWithinAsync(IQuerySession session, Instant from, Instant to, CancellationToken ct)
    {
        var (start, end) = (from.ToDateTimeOffset(), to.ToDateTimeOffset());
        var positions = await session.Events.QueryAllRawEvents().Where(e => e.Timestamp >= start && e.Timestamp < end)
            .Select(e => e.Sequence).ToListAsync(ct);
        return positions.Count == 0 ? (0, 0) : (positions.Min(), positions.Max());
    }

    private static async Task<WebhookResponse?> ResponseAsync(IQuerySession session, string name, CancellationToken ct)
    {
        var key = WebhookStreams.Webhook(name);
        if (await session.LoadAsync<WebhookView>(key, ct) is not { } webhook) return null;
        var cursor = await session.LoadAsync<WebhookCursor>(key, ct);
        var c = webhook.Configuration;
        return new WebhookResponse(name, c.Url, c.DropFolder, c.AuthHeaderSecret is not null, c.AuthHeaderSecret, c.EventTypes,
            cursor?.Position ?? c.StartAfter, cursor?.Attempts ?? 0, cursor?.LastError, cursor?.LastDeliveredAt, webhook.DeadLetters);
    }

    private static IResult UnknownWebhook(string name) => Problems.NotFound($"No webhook {name} is subscribed.");
}
