using System.Text.Json.Nodes;
using ProductHub.Adapters.Contracts;
using ProductHub.Domain.ChangeOrders;
using ProductHub.Domain.Documents;
using ProductHub.Domain.Erp;
using ProductHub.Domain.Parts;
using ProductHub.Domain.Plants;
using ProductHub.Domain.Status;
using ProductHub.Domain.Units;
using ProductHub.Domain.Webhooks;

namespace ProductHub.Hub.Feed;

/// <summary>Canonical events concern every reader; plant events only readers acting for that plant.</summary>
public enum FeedScope { Canonical, Plant }

/// <summary>
/// An event type of the public contract (the change feed, webhooks, part histories) and its JSON Schema,
/// <c>schemas/events/v1/{Name}.schema.json</c>. The schema's properties are exactly the fields readers are given:
/// a field the schema does not name is never served, so a field added to an event stays internal until the
/// contract names it.
/// </summary>
public sealed class PublicEvent
{
    public PublicEvent(Type type, FeedScope scope)
    {
        Type = type;
        Scope = scope;
        Schema = ContractSchema.Get(SchemaName(type.Name));
        Fields = JsonNode.Parse(Schema.Text)!["properties"]!.AsObject().Select(p => p.Key).ToHashSet();
    }

    public Type Type { get; }
    public string Name => Type.Name;
    public FeedScope Scope { get; }
    public ContractSchema Schema { get; }
    public IReadOnlySet<string> Fields { get; }

    public static string SchemaName(string type) => $"events/v1/{type}.schema.json";
}

/// <summary>
/// Which event types readers outside the hub are given. Internal configuration stays out: ERP instances and
/// webhooks (URLs, folders, secrets), change order policies and each step's orchestration (instances, keys, the
/// errors systems answered). Every event type the hub writes is one or the other.
/// </summary>
public static class PublicEvents
{
    public static readonly IReadOnlyList<PublicEvent> All =
    [
        .. Canonical(
            typeof(PartRegistered), typeof(PartAttributesChanged), typeof(RevisionCreated), typeof(ComplianceRecorded),
            typeof(ApprovedManufacturerAdded), typeof(BomLineAdded), typeof(OperationAdded), typeof(DocumentReferenced),
            typeof(RevisionReleased), typeof(RevisionSuperseded), typeof(DocumentRevisionReleased), typeof(UnitDefined),
            typeof(ChangeOrderCreated), typeof(ChangeOrderApproved), typeof(ChangeOrderCompleted),
            typeof(ChangeOrderCompensationStarted), typeof(ChangeOrderCompensated), typeof(ChangeOrderNeedsAttention)),
        .. OfPlants(
            typeof(PlantConfigured), typeof(PartAssignedToPlant), typeof(ReferenceDataLoaded), typeof(PlantBomPublished),
            typeof(PlantValidationFailed), typeof(PlantExceptionRetried), typeof(PlantExceptionResolved), typeof(PlantExceptionDismissed),
            typeof(DeliveryRequested), typeof(DeliverySent), typeof(DeliveryAcknowledged), typeof(DeliveryFailed),
            typeof(DeliveryDeadLettered), typeof(DeliverySuperseded)),
        .. OfPlants([.. StatusEventTypes.ByName.Values.Select(r => r.GetType())]),
    ];

    public static readonly IReadOnlyList<Type> Internal =
    [
        typeof(ErpInstanceConfigured), typeof(WebhookConfigured), typeof(WebhookBatchDeadLettered), typeof(WebhookReplayRequested),
        typeof(ChangeOrderPolicyDefined), typeof(StepSent), typeof(StepAcknowledged), typeof(StepFailed), typeof(StepRetriedByHand),
        // The shapes that held auth headers: no longer written, only read (redacted) by upcasters.
        typeof(ErpInstanceConfiguredV1), typeof(WebhookConfiguredV1),
    ];

    private static readonly Dictionary<string, PublicEvent> ByName = All.ToDictionary(e => e.Name);

    public static PublicEvent? Named(string name) => ByName.GetValueOrDefault(name);

    private static IEnumerable<PublicEvent> Canonical(params Type[] types) => types.Select(t => new PublicEvent(t, FeedScope.Canonical));

    private static IEnumerable<PublicEvent> OfPlants(params Type[] types) => types.Select(t => new PublicEvent(t, FeedScope.Plant));
}
