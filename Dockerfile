# syntax=docker/dockerfile:1
# Apportionment API container image.
#   docker build -t apportionment-api .
# Listens on 8080 as the non-root `app` user. Configure with environment variables:
#   ConnectionStrings__Apportionment, Auth__AdminApiKey, Database__MigrateOnStartup,
#   APPORTIONMENT_DEMO, OTEL_EXPORTER_OTLP_ENDPOINT.
# Run migrations separately with the argument `--migrate-only` (exits 0 when done).

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
# The partner dashboard's build fetches GOV.UK Frontend and Sass with npm (src/Apportionment.Api/Dashboard).
RUN apt-get update && apt-get install -y --no-install-recommends nodejs npm && rm -rf /var/lib/apt/lists/*

# Restore first (only props + project files) so this layer is cached until they change.
COPY Directory.Build.props Directory.Packages.props ./
COPY src/Apportionment.Domain/Apportionment.Domain.csproj src/Apportionment.Domain/
COPY src/Apportionment.Api/Apportionment.Api.csproj src/Apportionment.Api/
RUN dotnet restore src/Apportionment.Api/Apportionment.Api.csproj

COPY src/Apportionment.Api/Dashboard/package.json src/Apportionment.Api/Dashboard/package-lock.json src/Apportionment.Api/Dashboard/
RUN npm ci --prefix src/Apportionment.Api/Dashboard --no-audit --no-fund --loglevel=error

COPY src/ src/
RUN dotnet publish src/Apportionment.Api/Apportionment.Api.csproj \
        -c Release -o /app --no-restore -p:UseAppHost=false

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
ENV ASPNETCORE_HTTP_PORTS=8080 \
    DOTNET_CLI_TELEMETRY_OPTOUT=1 \
    DOTNET_NOLOGO=1
COPY --from=build /app ./
# `app` (uid 1654) is defined by the .NET 8+ base images; APP_UID is set there too.
USER $APP_UID
EXPOSE 8080
# No HEALTHCHECK: the aspnet image has no curl/wget. Use the orchestrator's probes on
# GET /health/live (process up) and GET /health/ready (database reachable and migrated).
ENTRYPOINT ["dotnet", "Apportionment.Api.dll"]
