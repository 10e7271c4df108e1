#include "StagecraftSettings.h"

#include "HAL/PlatformMisc.h"

FString UStagecraftSettings::ResolveToken() const
{
	switch (TokenSource)
	{
	case EStagecraftTokenSource::Fixed:
		return Token;
	case EStagecraftTokenSource::Environment:
		return FPlatformMisc::GetEnvironmentVariable(*TokenEnvironmentVariable);
	default:
		return FString();
	}
}
