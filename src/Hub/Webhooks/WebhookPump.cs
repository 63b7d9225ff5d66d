using System.Text.Json;
using Marten;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using NodaTime;
using ProductHub.Adapters.Erp;
using ProductHub.Domain.Erp;
using ProductHub.Domain.Webhooks;
using ProductHub.Hub.Feed;
using ProductHub.Hub.Infrastructure;
using ProductHub.Hub.Outbound;
using ProductHub.Projections.Webhooks;

namespace ProductHub.Hub.Webhooks;

public enum PumpRound { Idle, Busy, Gone }

/// <summary>
/// Posts the public feed to one webhook subscriber, a batch per round, in order, over the same HTTP channel as the
/// ERP adapters: the batch's idempotency key (<c>{name}:{from}-{to}</c>, positions) lets a subscriber drop what it
/// has, the cursor is stored only after the subscriber took the batch (at least once), a batch sent again (after a
/// failure, or a crash mid-push) has the same positions and key (<see cref="WebhookCursor.Sending"/>), failures wait the
/// subscription's backoff, and past its retry limit a batch is dead-lettered (to be replayed) so that one bad batch
/// does not stop the subscription.
/// A round holds the subscription's PostgreSQL advisory lock (<see cref="AdvisoryLock"/>) from reading its cursor to storing it, so of several
/// hubs on one database exactly one pumps a subscription at a time: no batch is pushed twice, no two overlap. The lock
/// is held by a connection of its own, outside any transaction, so a round that waits on a slow subscriber holds no
/// table locks; the cursor's optimistic concurrency stops a round that lost its lock (its connection died) from
/// overwriting one that got it after.
/// </summary>
public sealed class WebhookPump(
    IDocumentStore store, EventReader reader, Connectors connectors, IClock clock, IOptions<JsonOptions> json,
    ILogger<WebhookPump> logger)
{
    private const int BatchSize = 100;

    /// <summary>The advisory locks of webhook subscriptions, apart from Marten's and Wolverine's (single-key) locks.</summary>
    private const int LockClass = 0x57484B31;

    public async Task<PumpRound> RunAsync(string id, CancellationToken ct)
    {
        await using var held = await AdvisoryLock.TryTakeAsync(store, LockClass, id, ct);
        return held is null ? PumpRound.Idle : await PumpAsync(id, ct);
    }

    private async Task<PumpRound> PumpAsync(string id, CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        if (await session.LoadAsync<WebhookView>(id, ct) is not { } webhook) return PumpRound.Gone;
        var config = webhook.Configuration;
        var cursor = await session.LoadAsync<WebhookCursor>(id, ct) ?? new WebhookCursor { Id = id, Position = config.StartAfter };
        var now = clock.GetCurrentInstant();
        if (cursor.NextAttemptAt > now) return PumpRound.Idle;

        var replay = await session.Query<WebhookReplay>().Where(r => r.Webhook == id).OrderBy(r => r.RequestedAt).FirstOrDefaultAsync(ct);
        var (after, until) = cursor.Sending is { } sending ? (sending.From - 1, sending.To)
            : replay is null ? (cursor.Position, (long?)null) : (replay.From - 1, replay.To);
        var (events, next) = await reader.ReadAsync(after, BatchSize, FeedSelection.ForTypes(config.EventTypes), now, ct, until);
        if (next == after)
        {
            if (replay is null) return PumpRound.Idle;
            session.Delete(replay);
            await session.SaveChangesAsync(ct);
            return PumpRound.Busy;
        }

        var (from, to) = (after + 1, next);
        if (cursor.Sending is null && events.Count > 0)
        {
            cursor.Sending = new FeedRange(from, to);
            session.Store(cursor);
            await session.SaveChangesAsync(ct);
        }
        var key = $"{config.Name}:{from}-{to}";
        var body = JsonSerializer.Serialize(
            new { webhook = config.Name, idempotencyKey = key, from, to, events = events.Select(FeedEntry.Of) }, json.Value.SerializerOptions);
        var outcome = events.Count == 0 ? new ChannelOutcome.Acknowledged(null, null) : await connectors.SendAsync(config, key, body, ct);

        var moved = true;
        if (outcome is ChannelOutcome.Failed failed)
        {
            cursor.Attempts++;
            cursor.LastError = failed.Error;
            if (config.Retry.NextAttemptAfter(cursor.Attempts, now) is { } retryAt)
            {
                cursor.NextAttemptAt = retryAt;
                moved = false;
            }
            else
            {
                session.Events.Append(webhook.Id, new WebhookBatchDeadLettered(config.Name, from, to, cursor.Attempts, failed.Error, now));
                logger.LogError("Webhook {Webhook} dead-lettered positions {From}-{To}: {Error}", config.Name, from, to, failed.Error);
            }
        }
        else
        {
            cursor.LastDeliveredAt = now;
        }
        if (moved) Advance(session, cursor, replay, to);
        session.Store(cursor);
        await session.SaveChangesAsync(ct);
        return moved ? PumpRound.Busy : PumpRound.Idle;
    }

    private static void Advance(IDocumentSession session, WebhookCursor cursor, WebhookReplay? replay, long to)
    {
        if (replay is null) cursor.Position = to;
        else if (to >= replay.To) session.Delete(replay);
        else
        {
            // A replay longer than one batch goes on from where this batch ends.
            replay.From = to + 1;
            session.Store(replay);
        }
        cursor.Attempts = 0;
        cursor.NextAttemptAt = null;
        cursor.Sending = null;
    }
}
