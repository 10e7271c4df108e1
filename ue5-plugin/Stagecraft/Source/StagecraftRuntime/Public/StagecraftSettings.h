// Project Settings → Plugins → Stagecraft.
#pragma once

#include "CoreMinimal.h"
#include "Engine/DeveloperSettings.h"
#include "StagecraftSettings.generated.h"

UENUM()
enum class EStagecraftTokenSource : uint8
{
	/** The server runs without join tokens. */
	None,
	/** The token below, as written (development only). */
	Fixed,
	/** The environment variable named below (e.g. set by a launcher). */
	Environment,
};

UENUM()
enum class EStagecraftCodec : uint8
{
	/** PCM16 little-endian: what the server sends today. */
	Pcm16,
};

UCLASS(Config = Game, DefaultConfig, meta = (DisplayName = "Stagecraft"))
class STAGECRAFTRUNTIME_API UStagecraftSettings : public UDeveloperSettings
{
	GENERATED_BODY()

public:
	/** http(s)://host:port of the Stagecraft server; the WebSocket uses the same host. */
	UPROPERTY(Config, EditAnywhere, Category = "Server")
	FString ServerUrl = TEXT("http://127.0.0.1:2567");

	UPROPERTY(Config, EditAnywhere, Category = "Server")
	EStagecraftTokenSource TokenSource = EStagecraftTokenSource::None;

	UPROPERTY(Config, EditAnywhere, Category = "Server", meta = (EditCondition = "TokenSource == EStagecraftTokenSource::Fixed"))
	FString Token;

	UPROPERTY(Config, EditAnywhere, Category = "Server", meta = (EditCondition = "TokenSource == EStagecraftTokenSource::Environment"))
	FString TokenEnvironmentVariable = TEXT("STAGECRAFT_TOKEN");

	UPROPERTY(Config, EditAnywhere, Category = "Audio")
	EStagecraftCodec Codec = EStagecraftCodec::Pcm16;

	/** Audio buffered before a line starts playing, in ms (the server sends about 120 ms ahead). */
	UPROPERTY(Config, EditAnywhere, Category = "Audio", meta = (ClampMin = "20", ClampMax = "1000"))
	int32 JitterBufferMs = 120;

	/** The mixer's output latency in ms, subtracted from the face clock; -1 asks the audio device. */
	UPROPERTY(Config, EditAnywhere, Category = "Audio")
	float OutputLatencyMs = -1.f;

	/** How long a face takes to settle to neutral after a line, in ms. */
	UPROPERTY(Config, EditAnywhere, Category = "Face", meta = (ClampMin = "0"))
	float FaceEaseMs = 200.f;

	FString ResolveToken() const;
};
