# Drawn by the replicate harness; run `gnuplot general-task.gp` in this folder to redraw.
set encoding utf8
set termoption noenhanced
set title "General task: genQ (quiz-answer loss, held-out general headwords)"
set xlabel "tokens seen in the continual phase (thousands)"
set ylabel "genQ (nats/byte)"
set grid
set key outside right top
set terminal pngcairo size 900,540 font 'DejaVu Sans,10' noenhanced
set output 'general-task.png'
plot 'general-task.dat' index 0 using 1:2:3 with yerrorlines lc 1 pt 1 title "G0", \
     'general-task.dat' index 1 using 1:2:3 with yerrorlines lc 2 pt 2 title "G0lo", \
     'general-task.dat' index 2 using 1:2:3 with yerrorlines lc 3 pt 3 title "G0s", \
     'general-task.dat' index 3 using 1:2:3 with yerrorlines lc 4 pt 4 title "G4", \
     'general-task.dat' index 4 using 1:2:3 with yerrorlines lc 5 pt 5 title "G0mix", \
     'general-task.dat' index 5 using 1:2:3 with yerrorlines lc 6 pt 6 title "G3", \
     1.8121776177237432 with lines dt 2 lc rgb 'gray40' title "genQ at the start"
unset output
set terminal svg size 900,540 font 'DejaVu Sans,10' noenhanced
set output 'general-task.svg'
plot 'general-task.dat' index 0 using 1:2:3 with yerrorlines lc 1 pt 1 title "G0", \
     'general-task.dat' index 1 using 1:2:3 with yerrorlines lc 2 pt 2 title "G0lo", \
     'general-task.dat' index 2 using 1:2:3 with yerrorlines lc 3 pt 3 title "G0s", \
     'general-task.dat' index 3 using 1:2:3 with yerrorlines lc 4 pt 4 title "G4", \
     'general-task.dat' index 4 using 1:2:3 with yerrorlines lc 5 pt 5 title "G0mix", \
     'general-task.dat' index 5 using 1:2:3 with yerrorlines lc 6 pt 6 title "G3", \
     1.8121776177237432 with lines dt 2 lc rgb 'gray40' title "genQ at the start"
unset output
