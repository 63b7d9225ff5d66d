using Microsoft.AspNetCore.Authorization;

namespace ProductHub.Hub.Security;

/// <summary>
/// The access policies; every endpoint names one with <c>[Authorize(Policy = ...)]</c>. Endpoints that name none
/// (contracts, metrics) still need a token with a hub role; only the health probes are anonymous.
/// </summary>
public static class Access
{
    /// <summary>Queries: any hub role; an ERP caller only for its own plants where the route names a plant.</summary>
    public const string Read = "read";

    /// <summary>Release intake and change orders: PLM.</summary>
    public const string Engineering = "engineering";

    /// <summary>Configuration and operations: admin.</summary>
    public const string Administration = "administration";

    /// <summary>
    /// Reads across every plant at once (the workbench, the metrics scrape): the roles not bound to plants. An ERP's
    /// token is a system's, limited to its plants, and these show every plant's figures.
    /// </summary>
    public const string Operations = "operations";

    /// <summary>What a plant reports back (acknowledgements, status events): its ERP, or an admin; checked per plant.</summary>
    public const string PlantFeedback = "plant-feedback";

    public static void AddPolicies(AuthorizationOptions options)
    {
        options.AddPolicy(Read, p => p.RequireRole(Roles.All).AddRequirements(new PlantRouteRequirement()));
        options.AddPolicy(Engineering, p => p.RequireRole(Roles.Plm));
        options.AddPolicy(Administration, p => p.RequireRole(Roles.Admin));
        options.AddPolicy(Operations, p => p.RequireRole(Roles.Plm, Roles.Auditor, Roles.Admin));
        options.AddPolicy(PlantFeedback, p => p.RequireRole(Roles.Erp, Roles.Admin).AddRequirements(new PlantRouteRequirement()));
        options.FallbackPolicy = new AuthorizationPolicyBuilder().RequireRole(Roles.All).Build();
    }
}
