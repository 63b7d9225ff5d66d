using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using ProductHub.Hub.Api;

namespace ProductHub.Hub.Security;

/// <summary>
/// An ERP acts for the plants in its token and no others. The other roles are not bound to plants, so a caller
/// holding one of them as well is not limited.
/// </summary>
public static class PlantAccess
{
    public static bool Allows(ClaimsPrincipal user, string plantCode) =>
        !IsPlantBound(user) || user.FindAll(HubClaims.Plant).Any(c => c.Value == plantCode);

    /// <summary>Whether the caller acts for some plants only (an ERP), rather than for all (the other roles).</summary>
    public static bool IsPlantBound(ClaimsPrincipal user) =>
        !(user.IsInRole(Roles.Admin) || user.IsInRole(Roles.Plm) || user.IsInRole(Roles.Auditor));

    public static IResult Refused(string what) =>
        Problems.Forbidden($"This token does not act for the plant of {what}.");
}

/// <summary>Routes naming a plant (<c>{plantCode}</c>) are limited to the plants the caller acts for.</summary>
public sealed class PlantRouteRequirement : AuthorizationHandler<PlantRouteRequirement>, IAuthorizationRequirement
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, PlantRouteRequirement requirement)
    {
        var plant = (context.Resource as HttpContext)?.GetRouteValue("plantCode") as string;
        if (plant is null || PlantAccess.Allows(context.User, plant)) context.Succeed(requirement);
        return Task.CompletedTask;
    }
}
