#include "StagecraftRigProfile.h"

#include "Stagecraft/gen/rigs.h"

bool UStagecraftRigProfile::LoadBuiltIn(FName ProfileName)
{
	const FString Wanted = ProfileName.ToString();
	for (const stagecraft::rigs::RigProfileData& P : stagecraft::rigs::kRigProfiles)
	{
		if (Wanted != UTF8_TO_TCHAR(P.name))
			continue;
		Links.Reset();
		for (size_t I = 0; I < P.link_count; ++I)
		{
			const stagecraft::rigs::CurveLink& L = P.links[I];
			Links.Add({FName(UTF8_TO_TCHAR(stagecraft::rigs::kArkitNames[L.blendshape])), FName(UTF8_TO_TCHAR(L.curve)), L.scale});
		}
		ResolvedIndices.Reset();
		return true;
	}
	return false;
}

void UStagecraftRigProfile::Resolve() const
{
	ResolvedIndices.SetNum(Links.Num());
	for (int32 I = 0; I < Links.Num(); ++I)
	{
		ResolvedIndices[I] = INDEX_NONE;
		const FString Name = Links[I].Blendshape.ToString();
		for (size_t K = 0; K < stagecraft::rigs::kBlendshapeCount; ++K)
			if (Name == UTF8_TO_TCHAR(stagecraft::rigs::kArkitNames[K]))
				ResolvedIndices[I] = int32(K);
	}
}

void UStagecraftRigProfile::Apply(const float* Weights, TMap<FName, float>& Out) const
{
	if (ResolvedIndices.Num() != Links.Num())
		Resolve();
	for (auto& It : Out)
		It.Value = 0.f;
	for (int32 I = 0; I < Links.Num(); ++I)
		if (ResolvedIndices[I] != INDEX_NONE)
			Out.FindOrAdd(Links[I].Curve) += Weights[ResolvedIndices[I]] * Links[I].Scale;
	for (auto& It : Out)
		It.Value = FMath::Clamp(It.Value, 0.f, 1.f);
}
