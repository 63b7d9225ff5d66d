using System.Security.Claims;
using Marten;
using ProductHub.Adapters.Erp;
using ProductHub.Projections.Plants;

namespace ProductHub.Hub.Security;

/// <summary>
/// What one caller may read. An ERP reads only its plants' plant-specific data: lists leave the other plants out,
/// another plant's object is not found (404, as if it did not exist, so its ids cannot be probed), and a filter
/// naming another plant is refused (403, as a plant route is). Canonical data is everyone's. What remote systems
/// answered is shown to admins only, since the body of whatever a URL answers is not the other roles' to read.
/// </summary>
public sealed class ReadScope
{
    private ReadScope(string[]? plants, bool admin) => (Plants, SeesRemoteAnswers) = (plants, admin);

    /// <summary>The plants the caller acts for; null for a caller not bound to plants, who reads them all.</summary>
    public string[]? Plants { get; }

    public bool SeesRemoteAnswers { get; }

    public static ReadScope Of(ClaimsPrincipal user) => new(
        PlantAccess.IsPlantBound(user) ? user.FindAll(HubClaims.Plant).Select(c => c.Value).Distinct().ToArray() : null,
        user.IsInRole(Roles.Admin));

    public bool Sees(string plantCode) => Plants is null || Plants.Contains(plantCode);

    /// <summary>A <c>?plant=</c> filter the caller may not use, as a 403 problem; null when it may.</summary>
    public IResult? Refuses(string? plantFilter) => plantFilter is null || Sees(plantFilter) ? null : PlantAccess.Refused($"plant {plantFilter}");

    /// <summary>An error (or a reason quoting one) as this caller may read it: with the remote body for admins only.</summary>
    public string? Error(string? error) => SeesRemoteAnswers ? error : RemoteAnswer.WithoutBody(error);

    /// <summary>
    /// The system instances the caller may not see: those that feed plants, none of them the caller's. An instance
    /// no plant names (a MES, a QMS) is no plant's own. None for a caller not bound to plants, without a look-up.
    /// </summary>
    public async Task<HashSet<string>> HiddenInstancesAsync(IQuerySession session, CancellationToken ct)
    {
        if (Plants is null) return [];
        return (await session.Query<PlantView>().ToListAsync(ct))
            .GroupBy(p => p.Current().ErpInstance, p => p.Code)
            .Where(instance => !instance.Any(Sees))
            .Select(instance => instance.Key).ToHashSet();
    }
}
