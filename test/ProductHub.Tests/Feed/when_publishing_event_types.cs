using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using ProductHub.Adapters.Contracts;
using ProductHub.Domain.Erp;
using ProductHub.Hub.Feed;

namespace ProductHub.Tests.Feed;

/// <summary>The catalog of public event types against their schemas and against the types the hub knows.</summary>
public sealed class when_publishing_event_types
{
    public static TheoryData<string> PublicTypes() => new(PublicEvents.All.Select(e => e.Name));

    [Theory, MemberData(nameof(PublicTypes))]
    public void each_field_its_schema_names_is_a_field_of_the_event_and_always_there(string name)
    {
        var type = PublicEvents.Named(name)!;
        var schema = JsonNode.Parse(type.Schema.Text)!;
        var fields = type.Type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Select(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name)).ToHashSet();

        type.Fields.Where(f => !fields.Contains(f)).ShouldBeEmpty();
        schema["required"]!.AsArray().Select(r => r!.GetValue<string>()).Order().ShouldBe(type.Fields.Order());
        schema["additionalProperties"]!.GetValue<bool>().ShouldBeFalse();
    }

    /// <summary>A field added to an event stays out of the feed until its schema names it: each one left out is a decision, listed here.</summary>
    [Fact]
    public void the_fields_kept_internal_are_the_payloads_answers_errors_and_orchestration()
    {
        var kept = PublicEvents.All.SelectMany(e => e.Type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Select(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name)).Where(f => !e.Fields.Contains(f)).Select(f => $"{e.Name}.{f}"));

        kept.Order().ShouldBe([
            "ChangeOrderApproved.plan", "ChangeOrderCompensationStarted.reason", "ChangeOrderNeedsAttention.reason",
            "DeliveryAcknowledged.answer", "DeliveryDeadLettered.error", "DeliveryFailed.error", "DeliverySent.payload",
        ]);
    }

    [Fact]
    public void every_event_schema_is_of_a_public_type_the_placeholder_or_the_envelope()
    {
        var named = PublicEvents.All.Select(e => PublicEvent.SchemaName(e.Name))
            .Append(PublicEvent.SchemaName(nameof(EventWithheld))).Append("events/v1/feed-entry.schema.json").ToHashSet();

        ContractSchema.All.Where(s => s.StartsWith("events/", StringComparison.Ordinal)).Where(s => !named.Contains(s)).ShouldBeEmpty();
    }

    [Fact]
    public void internal_configuration_is_not_public()
    {
        PublicEvents.Internal.ShouldContain(typeof(ErpInstanceConfigured));
        PublicEvents.Internal.ShouldAllBe(type => PublicEvents.Named(type.Name) == null);
    }

    [Fact]
    public void a_stored_event_is_served_with_its_schemas_fields_only()
    {
        var delivery = PublicEvents.Named(nameof(DeliveryFailed))!;
        var stored = """{"deliveryId":"DL-1","attempt":2,"error":"HTTP 500: <html>secret stack</html>","nextAttemptAt":null,"recordedAt":"2026-03-01T12:00:00Z"}""";

        var (type, data, withheld) = EventServing.Serve(delivery, stored, stored.Length, ProductHub.Hub.Api.HubJson.Create());

        (type, withheld).ShouldBe((nameof(DeliveryFailed), (string?)null));
        data.AsObject().Select(p => p.Key).ShouldBe(["deliveryId", "attempt", "nextAttemptAt", "recordedAt"]);
    }

    [Fact]
    public void a_plant_event_is_given_to_readers_of_its_plant_and_a_canonical_one_to_all()
    {
        var erp = new FeedSelection(new HashSet<string> { "P100" }, null);
        var webhook = FeedSelection.ForTypes(["PlantBomPublished"]);
        var published = PublicEvents.Named("PlantBomPublished")!;
        var released = PublicEvents.Named("RevisionReleased")!;

        (erp.Admits(published, "P100"), erp.Admits(published, "P200"), erp.Admits(published, null), erp.Admits(released, null))
            .ShouldBe((true, false, false, true));
        (webhook.Admits(published, "P200"), webhook.Admits(released, null)).ShouldBe((true, false));
    }
}

public sealed class when_the_hub_knows_its_event_types
{
    /// <summary>The hub's events are the records of the domain that carry the instant the hub recorded them.</summary>
    [Fact]
    public void every_event_type_of_the_domain_is_public_or_internal()
    {
        var events = typeof(ErpInstanceConfigured).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && t.GetProperty("RecordedAt")?.PropertyType == typeof(NodaTime.Instant)).ToList();

        events.Count.ShouldBe(PublicEvents.All.Count + PublicEvents.Internal.Count);
        events.Where(t => PublicEvents.Named(t.Name)?.Type != t && !PublicEvents.Internal.Contains(t)).ShouldBeEmpty();
    }
}
