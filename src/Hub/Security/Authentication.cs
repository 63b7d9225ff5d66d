using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.Tokens;
using ProductHub.Hub.Api;

namespace ProductHub.Hub.Security;

public static class Authentication
{
    private const string Scheme = "hub";

    /// <summary>JWT bearer tokens signed with the hub's key; a missing or bad token is a 401 problem, a role short a 403.</summary>
    public static IServiceCollection AddHubAuthentication(this IServiceCollection services, IConfiguration configuration)
    {
        var key = SigningKey.Resolve(configuration);
        services.AddAuthentication(Scheme)
            // A request with an Authorization header is an API call; the workbench's pages and circuit go by its cookie.
            .AddPolicyScheme(Scheme, "Bearer token or workbench cookie", options => options.ForwardDefaultSelector = context =>
                string.IsNullOrEmpty(context.Request.Headers.Authorization) && WorkbenchSignIn.IsBrowserPath(context.Request.Path)
                    ? WorkbenchSignIn.Scheme
                    : JwtBearerDefaults.AuthenticationScheme)
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
                NameClaimType = HubClaims.Subject,
                RoleClaimType = HubClaims.Role,
                ClockSkew = TimeSpan.FromSeconds(30),
            };
            options.Events = new JwtBearerEvents
            {
                OnChallenge = async context =>
                {
                    context.HandleResponse();
                    await Problems.Unauthenticated(context.AuthenticateFailure is null
                        ? "A bearer token is required."
                        : "The bearer token is not valid: expired, or not signed by this hub.").ExecuteAsync(context.HttpContext);
                },
                OnForbidden = context => Problems.Forbidden("This token's roles do not allow this request.").ExecuteAsync(context.HttpContext),
            };
        });
        services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationHandler, PlantRouteRequirement>();
        services.AddAuthorization(Access.AddPolicies);
        services.AddAntiforgery();
        return services;
    }
}
