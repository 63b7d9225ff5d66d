using System.Text.Json;
using Marten;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using NodaTime;
using ProductHub.Adapters.Erp;
using ProductHub.Domain.Erp;
using ProductHub.Domain.Webhooks;
using ProductHub.Hub.Erp;
using ProductHub.Hub.Feed;
using ProductHub.Hub.Security.Secrets;
using ProductHub.Projections.Webhooks;

namespace ProductHub.Hub.Webhooks;

/// <summary>
/// Posts the change feed to each webhook subscriber, in order and in batches, over the same HTTP channel as the
/// ERP adapters: the batch's idempotency key lets a subscriber drop what it has, the cursor is stored only after
/// the subscriber took the batch (at least once), failures wait the subscription's backoff, and past its retry
/// limit a batch is dead-lettered (to be replayed) so that one bad batch does not stop the subscription.
/// </summary>
public sealed class WebhookPump(
    IDocumentStore store, IHttpClientFactory http, SecretStore secrets, IClock clock, IOptions<JsonOptions> json,
    ILogger<WebhookPump> logger, TimeSpan interval) : BackgroundService
{
    private const int BatchSize = 100;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(interval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await using var query = store.QuerySession();
                foreach (var webhook in await query.Query<WebhookView>().ToListAsync(stoppingToken))
                {
                    await PumpAsync(webhook, stoppingToken);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Webhook round failed; will try again");
            }
        }
    }

    private async Task PumpAsync(WebhookView webhook, CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        var config = webhook.Configuration;
        var cursor = await session.LoadAsync<WebhookCursor>(webhook.Id, ct)
                     ?? new WebhookCursor { Id = webhook.Id, Position = config.StartAfter };
        var now = clock.GetCurrentInstant();
        if (cursor.NextAttemptAt > now) return;

        var replay = cursor.Replays.FirstOrDefault();
        var batch = replay is null
            ? await GetFeed.ReadAsync(session, cursor.Position, BatchSize, now, ct)
            : (await GetFeed.ReadAsync(session, replay.From - 1, (int)Math.Min(BatchSize, replay.To - replay.From + 1), now, ct))
                .Where(e => e.Position <= replay.To).ToList();
        if (batch.Count == 0 && replay is null) return;

        var wanted = batch.Where(e => !e.Stream.StartsWith("webhook/", StringComparison.Ordinal) &&
                                      (config.EventTypes.Count == 0 || config.EventTypes.Contains(e.Type))).ToList();
        // A replay longer than one batch goes on from where this batch ends.
        var (from, to) = replay is null ? (batch[0].Position, batch[^1].Position)
            : (replay.From, batch.Count > 0 ? batch[^1].Position : replay.To);
        var key = $"{config.Name}:{from}-{to}";
        var body = JsonSerializer.Serialize(new { webhook = config.Name, idempotencyKey = key, from, to, events = wanted }, json.Value.SerializerOptions);
        var outcome = wanted.Count == 0 ? new ChannelOutcome.Acknowledged(null, null) : await SendAsync(config, key, body, ct);

        if (outcome is ChannelOutcome.Failed failed)
        {
            cursor.Attempts++;
            cursor.LastError = failed.Error;
            if (cursor.Attempts < config.Retry.MaxAttempts)
            {
                cursor.NextAttemptAt = now + config.Retry.WaitBefore(cursor.Attempts);
            }
            else
            {
                session.Events.Append(webhook.Id, new WebhookBatchDeadLettered(config.Name, from, to, cursor.Attempts, failed.Error, now));
                logger.LogError("Webhook {Webhook} dead-lettered positions {From}-{To}: {Error}", config.Name, from, to, failed.Error);
                Advance(cursor, replay, to);
            }
        }
        else
        {
            cursor.LastDeliveredAt = now;
            Advance(cursor, replay, to);
        }
        session.Store(cursor);
        await session.SaveChangesAsync(ct);
    }

    private async Task<ChannelOutcome> SendAsync(WebhookConfigured config, string key, string body, CancellationToken ct)
    {
        if (config.Url is { } url)
            return await AuthorizedHttp.SendAsync(secrets, SecretName.WebhookAuthHeader(config.Name), http.CreateClient("erp"),
                new HttpChannelSettings(url, config.AuthHeaderSecret, 30), key, body, ct);
        try
        {
            FileErpChannel.WriteAtomically(config.DropFolder!, key.Replace(':', '-') + ".json", body);
            return new ChannelOutcome.Acknowledged(null, null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new ChannelOutcome.Failed(e.Message);
        }
    }

    private static void Advance(WebhookCursor cursor, PositionRange? replay, long to)
    {
        if (replay is null) cursor.Position = to;
        else
        {
            cursor.Replays.Remove(replay);
            if (to < replay.To) cursor.Replays.Insert(0, new PositionRange(to + 1, replay.To));
        }
        cursor.Attempts = 0;
        cursor.NextAttemptAt = null;
    }
}
