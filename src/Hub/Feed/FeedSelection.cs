using System.Security.Claims;
using ProductHub.Hub.Security;

namespace ProductHub.Hub.Feed;

/// <summary>
/// Which public events one reader is given: all plants' or some plants' (an ERP's token), all types or some (a
/// webhook's subscription). Internal event types are never given to anyone.
/// </summary>
/// <param name="Plants">The plants whose plant events the reader gets; null for every plant.</param>
/// <param name="Types">The event types the reader asked for; null for all.</param>
public sealed record FeedSelection(IReadOnlySet<string>? Plants, IReadOnlySet<string>? Types)
{
    public static readonly FeedSelection Everything = new(null, null);

    /// <summary>An ERP sees canonical events and its own plants' events; the other roles see every plant.</summary>
    public static FeedSelection For(ClaimsPrincipal user) =>
        PlantAccess.IsPlantBound(user)
            ? new FeedSelection(user.FindAll(HubClaims.Plant).Select(c => c.Value).ToHashSet(), null)
            : Everything;

    /// <summary>Webhooks are configured by admins and see the public feed, of the types they subscribed to.</summary>
    public static FeedSelection ForTypes(IReadOnlyCollection<string> types) => new(null, types.Count == 0 ? null : types.ToHashSet());

    /// <param name="plant">The plant a plant event belongs to, as stored.</param>
    public bool Admits(PublicEvent type, string? plant) =>
        (Types is null || Types.Contains(type.Name)) &&
        (type.Scope == FeedScope.Canonical || Plants is null || (plant is not null && Plants.Contains(plant)));
}
