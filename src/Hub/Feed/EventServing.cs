using System.Text.Json;
using System.Text.Json.Nodes;
using Marten;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using ProductHub.Domain;

namespace ProductHub.Hub.Feed;

/// <summary>Served in place of an event the hub cannot give out, at its position: what it was and why it is withheld.</summary>
public sealed record EventWithheld(string EventType, string Reason);

/// <summary>
/// Turns an event's stored JSON into what readers are given: read as its type, written again with the API's JSON
/// settings (so enums and times read as everywhere else in the API), cut down to the fields its public schema
/// names. An event that cannot be given out (nested too deep, too large, unreadable) becomes
/// <see cref="EventWithheld"/>: one bad event never stops a page, a history or a webhook.
/// </summary>
public sealed class EventServing(IDocumentStore store, IOptions<JsonOptions> json)
{
    /// <summary>Larger events are withheld: a reader must be able to hold one in memory, and a page must stay bounded.</summary>
    public const int MaxEventBytes = 16 * 1024 * 1024;

    /// <summary>The public types by the name Marten stores each under, known once the store is built.</summary>
    private readonly Lazy<StoredNames> _names = new(() =>
    {
        var byAlias = store.Options.Events.AllKnownEventTypes()
            .Where(t => PublicEvents.Named(t.EventType.Name)?.Type == t.EventType)
            .ToDictionary(t => t.EventTypeName, t => PublicEvents.Named(t.EventType.Name)!);
        return new StoredNames(byAlias, [.. byAlias.Keys], [.. byAlias.Where(a => a.Value.Scope == FeedScope.Plant).Select(a => a.Key)]);
    });

    private sealed record StoredNames(IReadOnlyDictionary<string, PublicEvent> ByAlias, string[] All, string[] OfPlants);

    /// <summary>The public event type stored under Marten's name for it, or null for an internal one.</summary>
    public PublicEvent? TypeOf(string alias) => _names.Value.ByAlias.GetValueOrDefault(alias);

    /// <summary>The names Marten stores the public types under.</summary>
    public string[] Aliases => _names.Value.All;

    /// <summary>The names Marten stores the plant events under.</summary>
    public string[] PlantAliases => _names.Value.OfPlants;

    /// <returns>The type and data to serve, and why the event is withheld when it is.</returns>
    public (string Type, JsonNode Data, string? Withheld) Serve(PublicEvent type, string? stored, long size) =>
        Serve(type, stored, size, json.Value.SerializerOptions);

    /// <param name="stored">The event's data as Marten stored it; null when it was too large to be read.</param>
    /// <param name="options">The API's JSON settings.</param>
    public static (string Type, JsonNode Data, string? Withheld) Serve(PublicEvent type, string? stored, long size, JsonSerializerOptions options)
    {
        if (stored is null || size > MaxEventBytes) return Withhold(type, $"larger than {MaxEventBytes / (1024 * 1024)} MiB", options);
        if (ServedJson.TooDeep(stored)) return Withhold(type, ServedJson.WithheldReason, options);
        try
        {
            var read = JsonSerializer.Deserialize(stored, type.Type, options) ?? throw new JsonException("The event's data is null.");
            var data = JsonSerializer.SerializeToNode(read, type.Type, options)!.AsObject();
            foreach (var field in data.Select(p => p.Key).Where(f => !type.Fields.Contains(f)).ToList()) data.Remove(field);
            return (type.Name, data, null);
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException or ArgumentException)
        {
            return Withhold(type, $"cannot be read as {type.Name}: {e.Message}", options);
        }
    }

    private static (string, JsonNode, string) Withhold(PublicEvent type, string reason, JsonSerializerOptions options) =>
        (nameof(EventWithheld), JsonSerializer.SerializeToNode(new EventWithheld(type.Name, reason), options)!, reason);
}
