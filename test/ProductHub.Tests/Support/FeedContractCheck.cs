using System.Text.Json;
using Marten;
using ProductHub.Hub;
using ProductHub.Hub.Feed;

namespace ProductHub.Tests.Support;

/// <summary>
/// Watches every event the hub writes in every scenario, before it is stored: each is an internal type, or a public
/// one that the feed serves as it is stored (nothing withheld) and whose served form its schema accepts. A scenario
/// that writes anything else fails at that write, so a new event type cannot reach the feed without a schema.
/// </summary>
public sealed class FeedContractCheck : DocumentSessionListenerBase
{
    private static readonly JsonSerializerOptions Api = ProductHub.Hub.Api.HubJson.Create();

    public override Task BeforeSaveChangesAsync(IDocumentSession session, CancellationToken token)
    {
        var serializer = session.DocumentStore.Options.Serializer();
        foreach (var e in session.PendingChanges.Streams().SelectMany(s => s.Events))
        {
            if (Problem(e.EventType, serializer.ToJson(e.Data)) is { } problem) throw new InvalidOperationException(problem);
        }
        return Task.CompletedTask;
    }

    /// <summary>What is wrong with an event of this type stored as this JSON, for the feed's contract; null when nothing is.</summary>
    public static string? Problem(Type type, string stored)
    {
        if (PublicEvents.Internal.Contains(type)) return null;
        if (PublicEvents.Named(type.Name) is not { } contract || contract.Type != type)
            return $"{type.Name} is neither a public event type (with a schema in schemas/events/v1) nor an internal one";
        var (_, data, withheld) = EventServing.Serve(contract, stored, stored.Length, Api);
        if (withheld is not null) return $"{type.Name} would be withheld from readers: {withheld}";
        var errors = contract.Schema.Validate(JsonSerializer.SerializeToElement(data));
        return errors.Count == 0 ? null
            : $"{type.Name} as served does not match its schema: {string.Join("; ", errors.Select(e => $"{e.Key} {string.Join(", ", e.Value)}"))}\n{data.ToJsonString()}";
    }
}
