<project xmlns="com.autoesl.autopilot.project" top="myproject" name="myproject_prj">
    <files>
        <file name="firmware/myproject.cpp" sc="0" tb="false" cflags="-std=c++14"/>
    </files>
    <solutions>
        <solution name="solution1" status="active"/>
    </solutions>
</project>
