using Marten;
using ProductHub.Adapters.Erp;
using ProductHub.Domain.Erp;
using ProductHub.Domain.Plants;
using ProductHub.Domain.Webhooks;
using ProductHub.Hub.Security.Secrets;
using Wolverine;

namespace ProductHub.Hub.Outbound;

/// <summary>
/// A message to a target system in the hub's own terms (a plant publication, a change order step), which says how each
/// connector takes it: the slice that sends it defines it, with its payload and topic message.
/// </summary>
public abstract record Outgoing(string IdempotencyKey)
{
    /// <summary>The payload as this target takes it: what is sent and recorded.</summary>
    public abstract string Render(ErpInstanceConfigured target);

    /// <summary>The extension of its file in a drop folder.</summary>
    public abstract string Extension(ErpInstanceConfigured target);

    /// <summary>What a consumer of the target's topic reads, with the partition key and the headers it is sent with.</summary>
    public abstract object TopicMessage(string payload, DeliveryOptions options);

    /// <summary>The plant publication, for a connector that makes records of it (Tryton); null for anything else.</summary>
    public virtual PlantBomPublished? Publication => null;
}

/// <summary>What was sent (the payload recorded with the attempt) and what the target made of it.</summary>
public sealed record Sent(string Payload, ChannelOutcome Outcome);

/// <summary>
/// The one way out of the hub: each target system's connector (http, file, kafka, tryton) for what it is sent (a plant
/// publication, a change order step, a batch of the change feed), every secret read at the moment of sending and every
/// HTTP call through the outbound policy's client. The callers decide on the outcome with the one retry policy,
/// <see cref="DeliveryRetry"/>.
/// </summary>
public sealed class Connectors(SecretStore secrets, IHttpClientFactory http, IDocumentStore store)
{
    private const int WebhookTimeoutSeconds = 30;

    public async Task<Sent> SendAsync(string name, ErpInstanceConfigured? target, Outgoing message, IMessageBus bus, CancellationToken ct)
    {
        if (target is null) return new Sent("", new ChannelOutcome.Failed($"{name} is not a configured target system"));
        var payload = message.Render(target);
        var key = message.IdempotencyKey;
        var outcome = target.Channel switch
        {
            ErpChannel.Http => await AuthorizedHttp.SendAsync(secrets, SecretName.ErpAuthHeader(target.Name), Client, target.Http!, key, payload, ct),
            ErpChannel.File => FileErpChannel.Write(target.File!, $"{key}.{message.Extension(target)}", payload),
            ErpChannel.Kafka => await PublishAsync(bus, target.Kafka!, message, payload),
            ErpChannel.Tryton when message.Publication is { } publication =>
                await TrytonErpChannel.DeliverAsync(secrets, Client, store, target, publication, ct),
            ErpChannel.Tryton => new ChannelOutcome.Failed($"{name} is a Tryton instance: it takes plant publications, not change order steps"),
            _ => throw new ArgumentOutOfRangeException(nameof(target), target.Channel, "no connector for this channel"),
        };
        return new Sent(payload, outcome);
    }

    /// <summary>A batch of the feed to a webhook: POSTed to its URL, or written into its drop folder (which acknowledges it).</summary>
    public async Task<ChannelOutcome> SendAsync(WebhookConfigured webhook, string key, string json, CancellationToken ct)
    {
        if (webhook.Url is { } url)
            return await AuthorizedHttp.SendAsync(secrets, SecretName.WebhookAuthHeader(webhook.Name), Client,
                new HttpChannelSettings(url, webhook.AuthHeaderSecret, WebhookTimeoutSeconds), key, json, ct);
        return FileErpChannel.Write(webhook.DropFolder!, key.Replace(':', '-') + ".json", json) is ChannelOutcome.Failed failed
            ? failed
            : new ChannelOutcome.Acknowledged(null, null);
    }

    private HttpClient Client => http.CreateClient(OutboundHttp.ClientName);

    /// <summary>Into the handler's outbox for the instance's topic; it leaves when the transaction commits and the broker takes it.</summary>
    private static async Task<ChannelOutcome> PublishAsync(IMessageBus bus, KafkaChannelSettings settings, Outgoing message, string payload)
    {
        var options = new DeliveryOptions();
        options.Headers[HttpErpChannel.IdempotencyKeyHeader] = message.IdempotencyKey;
        await bus.BroadcastToTopicAsync(settings.Topic, message.TopicMessage(payload, options), options);
        return new ChannelOutcome.AwaitingAcknowledgement(null);
    }
}
