; Included by electron-builder's NSIS installer (electron-builder.yml: nsis.include).
; Registers the hearth:// link scheme for the current user (HKCU, like the per-user install) so
; invite links open Hearth from the first start, and removes it when Hearth is uninstalled.
; An update runs the old uninstaller with --updated and then this install again: the scheme is
; kept across updates.

!macro customInstall
  WriteRegStr HKCU "Software\Classes\hearth" "" "URL:Hearth invite link"
  WriteRegStr HKCU "Software\Classes\hearth" "URL Protocol" ""
  WriteRegStr HKCU "Software\Classes\hearth\DefaultIcon" "" '"$INSTDIR\${APP_EXECUTABLE_FILENAME}",0'
  WriteRegStr HKCU "Software\Classes\hearth\shell\open\command" "" '"$INSTDIR\${APP_EXECUTABLE_FILENAME}" "%1"'
!macroend

!macro customUnInstall
  ${ifNot} ${isUpdated}
    DeleteRegKey HKCU "Software\Classes\hearth"
  ${endIf}
!macroend
