; Kaigi's Windows installer (NSIS 3). Built by `make windows-installer`:
;   makensis -DVERSION=0.1.0 -DSRC=build/windows -DOUTFILE=... packaging/windows/kaigi.nsi
; Installs for the current user (default, no administrator rights; also with
; /S) or for everyone (/AllUsers, or the choice on the first page), adds a
; Start-menu entry and the kaigi: URL protocol, and writes an uninstaller
; that removes exactly that.
; kaigi.exe is x86-64 only, and so is the installer (a 32-bit one would need
; 32-bit Wine for the proof).
Target amd64-unicode
ManifestDPIAware true
SetCompressor /SOLID lzma

!define APP "Kaigi"
!define UNINST_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\${APP}"

Name "${APP}"
OutFile "${OUTFILE}"
BrandingText "${APP} ${VERSION}"

!define MULTIUSER_EXECUTIONLEVEL Highest
!define MULTIUSER_MUI
!define MULTIUSER_INSTALLMODE_COMMANDLINE
!define MULTIUSER_INSTALLMODE_DEFAULT_CURRENTUSER
!define MULTIUSER_USE_PROGRAMFILES64
!define MULTIUSER_INSTALLMODE_INSTDIR "${APP}"
; The uninstall key remembers the mode and folder of an earlier install.
!define MULTIUSER_INSTALLMODE_DEFAULT_REGISTRY_KEY "${UNINST_KEY}"
!define MULTIUSER_INSTALLMODE_DEFAULT_REGISTRY_VALUENAME "InstallMode"
!define MULTIUSER_INSTALLMODE_INSTDIR_REGISTRY_KEY "${UNINST_KEY}"
!define MULTIUSER_INSTALLMODE_INSTDIR_REGISTRY_VALUENAME "InstallLocation"
!include MultiUser.nsh
!include MUI2.nsh

!define MUI_ICON "${SRC}/kaigi.ico"
!define MUI_UNICON "${SRC}/kaigi.ico"

!insertmacro MULTIUSER_PAGE_INSTALLMODE
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!define MUI_FINISHPAGE_RUN "$INSTDIR\kaigi.exe"
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES

!insertmacro MUI_LANGUAGE "English"
!insertmacro MUI_LANGUAGE "Japanese"
!insertmacro MUI_LANGUAGE "TradChinese"

VIProductVersion "${VERSION}.0"
VIAddVersionKey /LANG=${LANG_ENGLISH} "ProductName" "${APP}"
VIAddVersionKey /LANG=${LANG_ENGLISH} "FileDescription" "${APP} installer"
VIAddVersionKey /LANG=${LANG_ENGLISH} "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=${LANG_ENGLISH} "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=${LANG_ENGLISH} "LegalCopyright" "Kaigi authors"

Function .onInit
  !insertmacro MULTIUSER_INIT
  !insertmacro MUI_LANGDLL_DISPLAY
FunctionEnd

Function un.onInit
  !insertmacro MULTIUSER_UNINIT
FunctionEnd

Section "Kaigi"
  SetOutPath "$INSTDIR"
  File "${SRC}/kaigi.exe"
  File /oname=fonts-OFL.txt "${SRC}/OFL.txt"
  WriteUninstaller "$INSTDIR\uninstall.exe"

  CreateShortcut "$SMPROGRAMS\${APP}.lnk" "$INSTDIR\kaigi.exe"

  ; kaigi: links open Kaigi (SHCTX is HKCU or HKLM by the install mode).
  WriteRegStr SHCTX "Software\Classes\kaigi" "" "URL:Kaigi Meeting"
  WriteRegStr SHCTX "Software\Classes\kaigi" "URL Protocol" ""
  WriteRegStr SHCTX "Software\Classes\kaigi\DefaultIcon" "" '"$INSTDIR\kaigi.exe",0'
  WriteRegStr SHCTX "Software\Classes\kaigi\shell\open\command" "" '"$INSTDIR\kaigi.exe" "%1"'

  WriteRegStr SHCTX "${UNINST_KEY}" "DisplayName" "${APP}"
  WriteRegStr SHCTX "${UNINST_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr SHCTX "${UNINST_KEY}" "Publisher" "Kaigi authors"
  WriteRegStr SHCTX "${UNINST_KEY}" "DisplayIcon" '"$INSTDIR\kaigi.exe",0'
  WriteRegStr SHCTX "${UNINST_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr SHCTX "${UNINST_KEY}" "InstallMode" "$MultiUser.InstallMode"
  WriteRegStr SHCTX "${UNINST_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe" /$MultiUser.InstallMode'
  WriteRegStr SHCTX "${UNINST_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /$MultiUser.InstallMode /S'
  WriteRegDWORD SHCTX "${UNINST_KEY}" "NoModify" 1
  WriteRegDWORD SHCTX "${UNINST_KEY}" "NoRepair" 1
SectionEnd

Section "Uninstall"
  Delete "$SMPROGRAMS\${APP}.lnk"
  DeleteRegKey SHCTX "Software\Classes\kaigi"
  DeleteRegKey SHCTX "${UNINST_KEY}"
  Delete "$INSTDIR\kaigi.exe"
  Delete "$INSTDIR\fonts-OFL.txt"
  Delete "$INSTDIR\uninstall.exe"
  SetOutPath "$TEMP" ; a folder that is the working folder cannot be removed
  RMDir "$INSTDIR"
  ; The per-user programs folder, if the install made it and nothing else
  ; is in it (RMDir leaves a folder that is not empty).
  ${If} $MultiUser.InstallMode == CurrentUser
    GetKnownFolderPath $0 {5CD7AEE2-2219-4A67-B85D-6C9CE15660CB} ; FOLDERID_UserProgramFiles
    StrCmp $0 "" 0 +2
    StrCpy $0 "$LOCALAPPDATA\Programs" ; MultiUser.nsh's fallback too (Wine answers "")
    RMDir "$0"
  ${EndIf}
SectionEnd
