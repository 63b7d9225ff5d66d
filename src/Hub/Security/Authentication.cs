using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.Tokens;
using ProductHub.Hub.Api;

namespace ProductHub.Hub.Security;

public static class Authentication
{
    public const string Scheme = "hub";

    /// <summary>
    /// JWT bearer tokens signed with the hub's key (HS256 only), and those of an external identity provider when one is
    /// configured (<see cref="IdentityProvider"/>); a missing or bad token, or one that names nobody, is a 401 problem,
    /// a role short a 403.
    /// </summary>
    public static IServiceCollection AddHubAuthentication(this IServiceCollection services, IConfiguration configuration)
    {
        var key = SigningKey.Resolve(configuration);
        var provider = IdentityProvider.From(configuration);
        var authentication = services.AddAuthentication(Scheme)
            // A request with an Authorization header is an API call; the workbench's pages and circuit go by its cookie.
            .AddPolicyScheme(Scheme, "Bearer token or workbench cookie", options => options.ForwardDefaultSelector = context =>
            {
                var authorization = context.Request.Headers.Authorization.ToString();
                if (string.IsNullOrEmpty(authorization) && WorkbenchSignIn.IsBrowserPath(context.Request.Path)) return WorkbenchSignIn.Scheme;
                return provider is null || IdentityProvider.IssuedByHub(authorization) ? JwtBearerDefaults.AuthenticationScheme : IdentityProvider.Scheme;
            })
            .AddWorkbenchCookie()
            .AddJwtBearer(options =>
            {
                // Keep the token's own claim names ("sub", "role", "plant"), which the policies and the audit trail read.
                options.MapInboundClaims = false;
                options.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidIssuer = SigningKey.Issuer,
                    ValidAudience = SigningKey.Audience,
                    IssuerSigningKey = key,
                    // Pinned: the key is the hub's and the hub signs with HS256, so no other algorithm may verify under it.
                    ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
                    NameClaimType = HubClaims.Subject,
                    RoleClaimType = HubClaims.Role,
                    ClockSkew = TimeSpan.FromSeconds(30),
                };
                options.Events = Events(principal => principal);
            });
        if (provider is not null)
        {
            authentication.AddJwtBearer(IdentityProvider.Scheme, options =>
            {
                provider.Configure(options);
                options.Events = Events(provider.ToHub);
            });
        }
        services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationHandler, PlantRouteRequirement>();
        services.AddAuthorization(Access.AddPolicies);
        services.AddAntiforgery();
        return services;
    }

    private static JwtBearerEvents Events(Func<System.Security.Claims.ClaimsPrincipal, System.Security.Claims.ClaimsPrincipal> toHub) => new()
    {
        OnTokenValidated = context =>
        {
            context.Principal = toHub(context.Principal!);
            // Every change records who made it: a token that names nobody cannot make one, nor read.
            if (string.IsNullOrWhiteSpace(context.Principal.FindFirst(HubClaims.Subject)?.Value))
                context.Fail("The bearer token names no subject (sub).");
            return Task.CompletedTask;
        },
        OnChallenge = async context =>
        {
            context.HandleResponse();
            await Problems.Unauthenticated(context.AuthenticateFailure is null
                ? "A bearer token is required."
                : "The bearer token is not valid: expired, not signed by this hub or its identity provider, or naming no subject.")
                .ExecuteAsync(context.HttpContext);
        },
        OnForbidden = context => Problems.Forbidden("This token's roles do not allow this request.").ExecuteAsync(context.HttpContext),
    };
}
