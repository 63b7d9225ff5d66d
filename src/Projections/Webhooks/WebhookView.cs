using NodaTime;
using ProductHub.Domain.Webhooks;

namespace ProductHub.Projections.Webhooks;

/// <summary>A webhook subscription as configured, with its dead-lettered batches.</summary>
public sealed class WebhookView
{
    public string Id { get; set; } = "";
    public string Name { get; set; } = "";
    public WebhookConfigured Configuration { get; set; } = null!;
    public List<WebhookBatchDeadLettered> DeadLetters { get; set; } = [];

    public static WebhookView Create(WebhookConfigured e) =>
        new() { Id = WebhookStreams.Webhook(e.Name), Name = e.Name, Configuration = e };

    public void Apply(WebhookConfigured e) => Configuration = e;

    public void Apply(WebhookBatchDeadLettered e) => DeadLetters.Add(e);

    public void Apply(WebhookReplayRequested e) =>
        DeadLetters.RemoveAll(d => d.FromPosition >= e.FromPosition && d.ToPosition <= e.ToPosition);
}

/// <summary>
/// How far a subscriber has taken the feed, and the attempt under way. A document, not events: it changes with
/// every batch, and as events it would flow back into the very feed it tracks. Only the subscription's pump writes
/// it, holding the subscription's lock.
/// </summary>
public sealed class WebhookCursor
{
    public string Id { get; set; } = "";
    public long Position { get; set; }
    public int Attempts { get; set; }
    public string? LastError { get; set; }
    public Instant? NextAttemptAt { get; set; }
    public Instant? LastDeliveredAt { get; set; }

    /// <summary>
    /// The batch being pushed, stored before the push: a round after a crash or a failed push sends these same
    /// positions under the same key, however many events came since, so no two keys a subscriber gets overlap.
    /// </summary>
    public FeedRange? Sending { get; set; }
}

public sealed record FeedRange(long From, long To);

/// <summary>
/// Feed positions [From, To] asked for again, sent before the subscription goes on. Kept apart from the cursor:
/// a replay requested while the pump sends must not be lost when the pump stores where it got to.
/// </summary>
public sealed class WebhookReplay
{
    public Guid Id { get; set; }
    public string Webhook { get; set; } = "";
    public long From { get; set; }
    public long To { get; set; }
    public Instant RequestedAt { get; set; }
}
